export { groupsSectionFix, LoginError, MissingGroupError, PolicyEditError, PolicyInputError } from './errors';
export { grant } from './grant';
export { listLedger } from './list-ledger';
export { validateLogin } from './login';
export { formatExpiry, validateGroupName, validateRequestId } from './names';
export { GROUP_NAME_PATTERN, REQUEST_ID_PATTERN } from './patterns';
export { revoke } from './revoke';
export { sweep } from './sweep';
export * from './types';

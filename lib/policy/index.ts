export * from './hujson';
export { LoginError, PolicyEditError, PolicyInputError } from './errors';
export { grant } from './grant';
export { listGrants } from './list-grants';
export { validateLogin } from './login';
export { validateGroupName, validateRequestId } from './names';
export { revoke } from './revoke';
export { sweep } from './sweep';
export * from './types';

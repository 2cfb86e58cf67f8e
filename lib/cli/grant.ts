import { EditResult, GrantRequest, MissingGroupError, grant } from '../policy';

/** `grant`, answering a missing group with the flag that creates it (`--create-group`). */
export function grantWithFlagHint(text: string, req: GrantRequest): EditResult {
  try {
    return grant(text, req);
  } catch (e) {
    if (e instanceof MissingGroupError) throw new MissingGroupError(e.group, 'pass --create-group to create it');
    throw e;
  }
}

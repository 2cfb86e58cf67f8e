import { EditResult, GrantRequest, groupsSectionFix, MissingGroupError, grant } from '../policy';

const CREATE_FLAG_HINT = 'pass --create-group to create it';

/** `grant`, answering a missing group (or a missing `groups` section) with the flag that creates it (`--create-group`). */
export function grantWithFlagHint(text: string, req: GrantRequest): EditResult {
  try {
    return grant(text, req);
  } catch (e) {
    if (!(e instanceof MissingGroupError)) throw e;
    const hint = e.sectionMissing ? `${groupsSectionFix(e.group)}, or ${CREATE_FLAG_HINT}` : CREATE_FLAG_HINT;
    throw new MissingGroupError(e.group, hint, e.sectionMissing);
  }
}

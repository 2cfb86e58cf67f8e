// The alphabets the policy engine writes into policy files, as JSON Schema patterns. This module imports nothing,
// so the manifest's schema can share them without depending on the rest of the engine.

/** A Tailscale group name without its `group:` prefix. */
export const GROUP_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';
/** Request ids go inside annotation comments, so nothing that could end the comment or the line. */
export const REQUEST_ID_PATTERN = '^[A-Za-z0-9._:-]{1,128}$';

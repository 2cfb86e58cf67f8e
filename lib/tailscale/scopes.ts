/**
 * The OAuth scope each read needs, as Tailscale documents its scopes (tailscale.com/kb/1623, "Trust credentials"). A
 * scope without `:read` includes its reading; `all:read` includes every read. An API access token carries its
 * user's permissions instead of scopes.
 */
export const READ_SCOPES = {
  policy: 'policy_file:read',
  devices: 'devices:core:read',
  /** Auth keys; OAuth clients also need `oauth_keys:read`, and every user's API access tokens only `all:read` lists. */
  keys: 'auth_keys:read',
  settings: 'feature_settings:read',
  users: 'users:read',
} as const;

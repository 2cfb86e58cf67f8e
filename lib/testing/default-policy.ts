/**
 * A new tailnet's policy file: allow everything, SSH to one's own devices in check mode. While the emulator
 * holds it untouched, `If-Match: "ts-default"` matches it, as on a real tailnet that was never edited.
 */
export const DEFAULT_POLICY = `// Example/default ACLs for unrestricted connections.
{
\t// Declare static groups of users. Use autogroups for all users or users with a specific role.
\t// "groups": {
\t//   "group:example": ["alice@example.com", "bob@example.com"],
\t// },

\t// Define the tags which can be applied to devices and by which users.
\t// "tagOwners": {
\t//   "tag:example": ["autogroup:admin"],
\t// },

\t// Define access control lists for users, groups, autogroups, tags,
\t// Tailscale IP addresses, and subnet ranges.
\t"acls": [
\t\t// Allow all connections.
\t\t// Comment this section out if you want to define specific restrictions.
\t\t{"action": "accept", "src": ["*"], "dst": ["*:*"]},
\t],

\t// Define users and devices that can use Tailscale SSH.
\t"ssh": [
\t\t// Allow all users to SSH into their own devices in check mode.
\t\t// Comment this section out if you want to define specific restrictions.
\t\t{
\t\t\t"action": "check",
\t\t\t"src":    ["autogroup:member"],
\t\t\t"dst":    ["autogroup:self"],
\t\t\t"users":  ["autogroup:nonroot", "root"],
\t\t},
\t],
}
`;

/** The ETag that matches the default policy for as long as nobody has written the file. */
export const DEFAULT_POLICY_ETAG = '"ts-default"';

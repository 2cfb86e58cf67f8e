/**
 * What is flagged as dangerous to grant for a while, by kind: each a membership right that outlasts the grant or
 * reaches too far. The one list: `DangerKind`, `symtail policy impact --help` and README.md's list are made from it.
 */
export const DANGERS = {
  'tag-owner': "a member may tag a device they control, and the device keeps the tag's access after the grant ends",
  'auto-approver': "routes or exit nodes a member's device advertises are approved without review, and stay",
  'root-ssh': 'an accept ssh rule lets the group in as root, without check',
  'all-destinations': 'a rule reaching the group has * (every device, every port) as its destination',
} as const;

export type DangerKind = keyof typeof DANGERS;

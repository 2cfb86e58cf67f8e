export { DEFAULT_POLICY, DEFAULT_POLICY_ETAG } from './default-policy';
export { TailnetEmulator } from './emulator';
export type { RecordedRequest } from './emulator';
export { EMULATOR_API_KEY } from './emulator-options';
export type { TailnetEmulatorOptions } from './emulator-options';
export type { OAuthClient } from './emulator-credentials';
export type { BrokenGet, FaultPath } from './faults';
export type { TestFailure } from './acl-tests';

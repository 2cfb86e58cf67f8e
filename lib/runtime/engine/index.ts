export { AccessEngine } from './access-engine';
export type {
  AccessEngineOptions,
  AccessResult,
  ApprovedRequest,
  CheckedAccess,
  CredentialProvider,
  EngineResult,
  Resolved,
  StatusEntry,
  StatusResult,
  SweepResult,
} from './results';

// `symtail/runtime`, as the package offers it: what a user of the deployed runtime needs — the handler factory and
// the engine it wraps, the events the function takes and what it answers, the audit lines it writes and the
// request events it puts on EventBridge. The rest of this folder (`index.ts`) serves the repository's own CLI,
// stand-ins and tests, and may change without notice.
export { createHandler } from './lambda/create-handler';
export type { EventRoute, HandlerOptions, HandlerResult } from './lambda/create-handler';
export { AccessEngine } from './engine';
export type { AccessEngineOptions, AccessResult, CredentialProvider, EngineResult, StatusResult, SweepResult } from './engine';
export { loadManifest } from './load-manifest';
export { EventError, parseEvent } from './events';
export type { CheckEvent, DeescalateEvent, EscalateEvent, HandlerEvent, RuntimeEvent, StatusEvent, SweepEvent } from './events';
export type { FunctionUrlEvent, FunctionUrlResult } from './function-url/function-url-event';
export type { CheckResult } from './doctor';
export { stdoutAuditSink } from './audit';
export type { AuditEvent, AuditSink } from './audit';
export type { RequestEvent, RequestEventDetail } from '../requests';

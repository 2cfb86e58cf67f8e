export type { CheckedRequest, FlowRules, NewRequest, RequestAccess } from './access-port';
export { normalizeEmail } from './actor';
export type { Actor, HistoryActor, SystemActor } from './actor';
export { approverStanding, isAllowedRequester, judgeVotes, noLongerApproved, samePerson } from './approval-rules';
export type { ApprovalRules, ApproverDirectory, DroppedVote, RequestParty } from './approval-rules';
export { DynamoDbConnection } from './dynamodb-connection';
export { DynamoDbProofLedger } from './dynamodb-proof-ledger';
export { DynamoDbRequestStore } from './dynamodb-store';
export { EventBridgeRequestEvents } from './eventbridge-events';
export { RecordKeyError, RequestError, StoreConflictError } from './errors';
export type { RequestErrorCode } from './errors';
export { KmsMacKey, kmsRecordSeal } from './kms-mac-key';
export {
  BODY_SHA256_HEADER,
  GET_CALLER_IDENTITY_BODY,
  IDENTITY_PROOF_HEADER,
  NONCE_BYTES,
  PROOF_KEY_PREFIX,
  PROOF_RECORD_SECONDS,
  Sha256,
  sha256Hex,
  signIdentityProof,
  stsEndpoint,
  withProofFields,
} from './identity-proof';
export type { IdentityProof, ProofFields, ProofSigner, SignableRequest } from './identity-proof';
export { isOpen, isPersonApproval, OPEN_STATES, REQUEST_STATES } from './model';
export type { OnCallApproval, OnCallEntry, PersonApproval } from './model';
export { breakGlassProblem, checkBreakGlass } from './break-glass';
export type { BreakGlassReview, BreakGlassRule } from './break-glass';
export { describeOnCall, ON_CALL, onCallApprovalProblem, onCallDecision } from './on-call';
export type { OnCallDecision, OnCallDirectory, OnCallRule } from './on-call';
export type {
  AccessRequest,
  Approval,
  HistoryEntry,
  OpenState,
  ReadRequest,
  RequestAction,
  RequestNotification,
  RequestState,
  RequestTransition,
} from './model';
export { silentNotifier } from './notifier';
export type { RequestNotifier } from './notifier';
export { canonicalRecord, RECORD_FORMAT, RecordSeal } from './record-seal';
export type { MacKey } from './record-seal';
export type { ProofLedger } from './proof-ledger';
export { EVENT_BUS_VARIABLE, EVENT_SOURCE, requestEvent, RequestEventsError } from './request-events';
export type { RequestEvent, RequestEventDetail, RequestEvents } from './request-events';
export { RequestService } from './service';
export type { RequestOutcome, RequestServiceOptions } from './record-keeper';
export type { TickResult } from './request-sweep';
export { newestFirst } from './store';
export type { ListPosition, RequestStore } from './store';
export { NOT_A_REQUEST_MARK, RECORD_KEY_VARIABLE, REQUESTS_TABLE, REQUESTS_TABLE_VARIABLE } from './table-layout';
export { DEFAULT_SWEEP_ALARM_MINUTES, DynamoDbSweepRecord, SWEEP_RECORD_KEY, SWEEP_VARIABLES } from './sweep-record';
export type { SweepRecord, SweepTimes } from './sweep-record';
export { checkExtendable, extendedUntil, extensionApproval, extensionProblem, grantStartOf } from './extend';
export type { ExtensionApproval, SelfExtensionRule } from './extend';
export { dueReminder, REMINDER_KINDS } from './reminders';
export type { ReminderKind, ReminderRule } from './reminders';
export { ReminderSweep } from './reminder-sweep';
export type { ReminderFailure, ReminderResult, ReminderSweepOptions, RequestReminders } from './reminder-sweep';

export { applyEdit } from './apply-edit';
export type { EditOutcome } from './apply-edit';
export { stdoutAuditSink } from './audit';
export type { AuditEvent, AuditSink } from './audit';
export {
  CredentialCache,
  CredentialError,
  CredentialNotSetError,
  SecretCache,
  SecretsManagerSource,
  SecretTextCache,
  credentialFromSecret,
  textFromSecret,
} from './credentials';
export type { SecretSource } from './credentials';
export { policyDiff } from './diff';
export {
  POLICY_KEYS,
  policyKeyFindings,
  readingOfFailure,
  RECORD_KEY_PROBE,
  RuntimeDoctor,
  scheduleFromEnvironment,
  SecretsManagerProbe,
  UNMATCHABLE_ETAG,
} from './doctor';
export type { CheckLine, CheckResult, DoctorStatus, RuntimeDoctorOptions, ScheduleSettings, SecretProbe, SecretReading } from './doctor';
export { AccessEngine } from './engine';
export type { AccessEngineOptions, AccessResult, CredentialProvider, EngineResult, StatusResult, SweepResult } from './engine';
export { AssertedIdentityError, REJECTION_CODES, RequestRejectedError, SweepIncompleteError, describeError } from './errors';
export { EventError, MAX_REASON_LENGTH, parseEvent } from './events';
export type { CheckEvent, DeescalateEvent, EscalateEvent, HandlerEvent, RuntimeEvent, StatusEvent, SweepEvent } from './events';
export { isFunctionUrlEvent } from './function-url/function-url-event';
export type { FunctionUrlEvent, FunctionUrlResult } from './function-url/function-url-event';
export { IdentityProofError, StsCallerIdentity } from './function-url/identity-proof';
export type { CallerIdentity, IdentityProofErrorCode, ProvenCall, StsCallerIdentityOptions } from './function-url/identity-proof';
export { OwnFunctionUrl } from './function-url/own-url';
export { callerEmail, functionAccountOf } from './function-url/principals';
export { CONFIRMED_FOR_MS, iamRoleLookup, IdentityCenterRoles, REFUSED_FOR_MS } from './function-url/identity-center-roles';
export type { RoleAnswer, RoleLookup } from './function-url/identity-center-roles';
export { RequestsApi } from './function-url/requests-api';
export type { RequestsApiAction } from './function-url/requests-api';
export { REQUESTS_API_SCHEMAS } from './function-url/requests-api-schemas';
export { wireRequests } from './function-url/requests-route';
export type { RequestsWiring, RequestsWiringOptions } from './function-url/requests-route';
export { createHandler } from './lambda/create-handler';
export type { EngineAnswer, EventRoute, HandlerOptions, HandlerResult } from './lambda/create-handler';
export { EngineRequestAccess, flowRules } from './request-access';
export { requestServices } from './request-services';
export type { RequestServiceParts, RequestServices } from './request-services';
export { loadManifest } from './load-manifest';
export { TailnetAccess } from './tailnet-access';
export type { AppliedEdit, PolicyEdit } from './tailnet-access';
export { requestIdOf, slackClient, SlackInteractions } from './slack-interactions';
export type { SlackInteractionsOptions, SlackOutcome } from './slack-interactions';
export { requestCard, SlackNotifier } from './slack-notifier';
export { SlackReminders } from './slack-reminders';
export type { SlackRemindersOptions } from './slack-reminders';
export { extendChoices } from './extend-choices';
export type { ImpactSource, SlackNotifierOptions } from './slack-notifier';
export { createFrontDoor, asyncInvoker } from './lambda/slack-front-door';
export type { FrontDoorOptions } from './lambda/slack-front-door';
export { ON_CALL_BUDGET_MS, OnCallUnavailableError, PagerDutyOnCall, parseOnCalls } from './pagerduty-on-call';
export type { PagerDutyOnCallOptions } from './pagerduty-on-call';

export { DEFAULT_POLICY, DEFAULT_POLICY_ETAG } from './default-policy';
export { TailnetEmulator } from './emulator';
export type { RecordedRequest } from './emulator';
export { EMULATOR_API_KEY } from './emulator-options';
export type { PolicyStorage, TailnetEmulatorOptions, TailnetInventoryFixture } from './emulator-options';
export type { OAuthClient, Scope } from './emulator-credentials';
export type { BrokenGet, FaultPath } from './faults';
export type { Hold } from './held-call';
export type { TestFailure } from './acl-tests';
export { LocalDynamoDb } from './local-dynamodb';
export type { DynamoDbCall } from './local-dynamodb';
export { directMessageOf, SlackStandIn } from './slack-stand-in';
export type { RecordedSlackCall, SlackOtherInstall, SlackStandInOptions, SlackStandInUser, StandInMessage } from './slack-stand-in';
export { blockActionBody, interactionBody, signedSlackEvent, slashCommandBody, viewSubmissionBody, withoutSignature } from './slack-payloads';
export type { SignOptions, SlackFunctionUrlEvent, SlackSender } from './slack-payloads';
export { LambdaStandIn } from './lambda-stand-in';
export type { InvokeTarget, LambdaStandInOptions, RecordedInvocation } from './lambda-stand-in';
export { LambdaProcess } from './lambda-process';
export type { LambdaProcessOptions } from './lambda-process';
export { killLiveChildren, reapOnTeardown } from './live-children';
export {
  FUNCTION_ACCOUNT,
  FUNCTION_ARN,
  FUNCTION_NAME,
  FUNCTION_URL,
  functionUrlEvent,
  identityCenterArn,
  identityProof,
  provenFunctionUrlEvent,
} from './function-url-events';
export type { FunctionUrlEventOptions, ProofOptions } from './function-url-events';
export { credentialFor, credentialLookup } from './aws-credentials';
export type { StandInCredential } from './aws-credentials';
export { StsStandIn } from './sts-stand-in';
export type { RecordedStsCall, StsStandInOptions } from './sts-stand-in';
export { FunctionUrlStandIn } from './function-url-stand-in';
export type { FunctionUrlStandInOptions } from './function-url-stand-in';
export { canonicalRequest, parseAmzDate, parseAuthorization, signatureOf, sigV4RequestOf, verifySigV4 } from './sigv4';
export type { SigV4Authorization, SigV4Options, SigV4Refusal, SigV4Request, SigV4Verdict } from './sigv4';
export { OffsetClock } from './offset-clock';
export { FakeSecretsManager, SECRETS_MANAGER_ERRORS } from './fake-secrets-manager';
export { IamStandIn, IDENTITY_CENTER_PATH, identityCenterRoleOf } from './iam-stand-in';
export type { IamStandInOptions, StandInRole } from './iam-stand-in';
export { localAwsEnvironment } from './local-aws';
export type { LocalEndpoints } from './local-aws';
export { EventBridgeStandIn } from './eventbridge-stand-in';
export type { EventBridgeFault, RecordedEvent } from './eventbridge-stand-in';
export { KmsStandIn } from './kms-stand-in';
export type { KmsStandInKey, RecordedKmsCall } from './kms-stand-in';
export { LOCAL_RECORD_KEY, LocalMacKey, localRecordSeal, recordKeyEnvironment, recordKeyStandIn } from './record-key';
export { PagerDutyStandIn } from './pagerduty-stand-in';
export type { PagerDutyStandInOptions, RecordedOnCallsCall, StandInOnCall } from './pagerduty-stand-in';

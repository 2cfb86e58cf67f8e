import { SymtailError } from '../errors';

/** Why a Slack delivery, user or API call was refused; each code names one reason. */
export type SlackErrorCode =
  | 'slack-signature-invalid'
  | 'slack-timestamp-stale'
  | 'slack-payload-invalid'
  | 'slack-foreign-workspace'
  | 'slack-foreign-organization'
  | 'slack-foreign-app'
  | 'slack-user-refused'
  | 'slack-not-configured'
  | 'slack-api-failed';

/** A refusal or failure at the Slack edge. Messages name fields and Slack user ids, never a token or secret. */
export class SlackError extends SymtailError<SlackErrorCode> {}

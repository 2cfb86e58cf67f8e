export { BREAK_GLASS_ACTIONS, breakGlassBlocks, breakGlassText, SLACK_USER_ID } from './break-glass-message';
export type { BreakGlassNotice, SlackName } from './break-glass-message';
export {
  bodyBytes,
  deliveryFromFunctionUrl,
  FRONT_DOOR_VARIABLES,
  handOffOf,
  isSlackHandOff,
  isSslCheck,
  MAX_SLACK_BODY_BYTES,
  signedBodyOf,
} from './delivery';
export type { FunctionUrlEvent, SlackDelivery, SlackHandOff } from './delivery';
export { SlackError } from './errors';
export type { SlackErrorCode } from './errors';
export { isOrganizationId, parseInteraction } from './interaction';
export type { BlockAction, SlackInteraction, SlackWorkspace, SlashCommand, ViewSubmission } from './interaction';
export { EXTEND_ACTION_PREFIX, extendButtons, extendDurationOf } from './extend-buttons';
export { REQUEST_ACTIONS, requestBlocks, requestText } from './request-message';
export { approverNudgeText, expiryReminderBlocks, expiryReminderText, reminderAnswerText, slackTime } from './reminder-message';
export type { ApproverNudgeCard, ExpiryReminderCard, ReminderAnswer } from './reminder-message';
export type { ImpactSummary, RequestAction, RequestCard } from './request-message';
export { FLOW_MENU_ACTION, flowMenuModal, REQUEST_MODAL, requestModal } from './request-modal';
export type { FlowChoices } from './request-modal';
export { MAX_SIGNATURE_AGE_SECONDS, slackSignature, verifySlackSignature } from './signature';
export type { SignedBody } from './signature';
export { SlackApi } from './slack-api';
export type { Block, ModalView, SlackApiOptions, SlackTokenIdentity, SlackUser } from './slack-api';
export { escapeMrkdwn, mrkdwnLiteral, oneLine, plainText } from './text';
export { verifiedSlackUser } from './verified-user';
export type { VerifiedSlackUser } from './verified-user';

import { SlackError } from './errors';
import { isOrganizationId, SlackWorkspace } from './interaction';
import { SlackApi, SlackUser } from './slack-api';

/** A Slack user the runtime will act for: a full member of its workspace or organization, with an email. */
export interface VerifiedSlackUser {
  /** The installation they were verified against: the integration's workspace (`T…`) or organization (`E…`). */
  readonly teamId: string;
  readonly userId: string;
  readonly email: string;
}

const EMAIL = /^[\x21-\x3f\x41-\x7e]+@[\x21-\x3f\x41-\x7e]+$/;

/**
 * Who `userId` is, by `users.info` (scope `users:read.email`): refused when a bot or app, deleted, a guest
 * (single- or multi-channel), outside the installation, or without an email. The email then goes through the
 * integration's identity rules like any other.
 */
export async function verifiedSlackUser(api: SlackApi, userId: string, workspace: SlackWorkspace): Promise<VerifiedSlackUser> {
  const user = await api.userInfo(userId);
  const refuse = (why: string) => new SlackError('slack-user-refused', `Slack user ${userId}: ${why}`);
  if (user.isBot) throw refuse('is a bot or an app, not a person');
  if (user.deleted) throw refuse('is deactivated');
  if (user.isGuest) throw refuse('is a guest of the workspace; only full members may request or approve');
  const outside = outsideOf(user, workspace.teamId);
  if (outside !== undefined) throw refuse(outside);
  if (user.email === undefined || !EMAIL.test(user.email)) {
    throw refuse('has no email Slack will share; the app needs the users:read.email scope');
  }
  return { teamId: workspace.teamId, userId, email: user.email };
}

/**
 * Why `user` is not of the installation `externalId`, or undefined when they are. Of a workspace (`T…`): its own
 * members (`team_id`), and Grid users who belong to it among others (`enterprise_user.teams`). Of an organization
 * (`E…`): its users (`enterprise_user.enterprise_id`; Slack may also state the organization as their `team_id`).
 */
function outsideOf(user: SlackUser, externalId: string): string | undefined {
  if (isOrganizationId(externalId)) {
    if (user.enterprise?.id === externalId || user.teamId === externalId) return undefined;
    return `belongs to organization ${user.enterprise?.id ?? '(none: not an Enterprise Grid user)'}, not ${externalId}`;
  }
  if (user.teamId === externalId || user.enterprise?.teams.includes(externalId)) return undefined;
  return `belongs to workspace ${user.teamId ?? '(none)'}, not ${externalId}`;
}

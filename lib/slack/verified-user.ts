import { SlackError } from './errors';
import { SlackWorkspace } from './interaction';
import { SlackApi } from './slack-api';

/** A Slack user the runtime will act for: a full member of its workspace, with an email. */
export interface VerifiedSlackUser {
  readonly teamId: string;
  readonly userId: string;
  readonly email: string;
}

const EMAIL = /^[\x21-\x3f\x41-\x7e]+@[\x21-\x3f\x41-\x7e]+$/;

/**
 * Who `userId` is, by `users.info` (scope `users:read.email`): refused when a bot or app, deleted, a guest
 * (single- or multi-channel), of another workspace, or without an email. The email then goes through the
 * integration's identity rules like any other.
 */
export async function verifiedSlackUser(api: SlackApi, userId: string, workspace: SlackWorkspace): Promise<VerifiedSlackUser> {
  const user = await api.userInfo(userId);
  const refuse = (why: string) => new SlackError('slack-user-refused', `Slack user ${userId}: ${why}`);
  if (user.isBot) throw refuse('is a bot or an app, not a person');
  if (user.deleted) throw refuse('is deactivated');
  if (user.isGuest) throw refuse('is a guest of the workspace; only full members may request or approve');
  if (user.teamId !== workspace.teamId) throw refuse(`belongs to workspace ${user.teamId ?? '(none)'}, not ${workspace.teamId}`);
  if (user.email === undefined || !EMAIL.test(user.email)) {
    throw refuse('has no email Slack will share; the app needs the users:read.email scope');
  }
  return { teamId: workspace.teamId, userId, email: user.email };
}

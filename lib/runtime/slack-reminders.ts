import { Manifest } from '../manifest';
import { AccessRequest, ApproverDirectory, FlowRules, isPersonApproval, RequestReminders, samePerson } from '../requests';
import { approverNudgeText, expiryReminderBlocks, expiryReminderText, SlackApi, SlackError, SlackUser } from '../slack';
import { extendChoices } from './extend-choices';
import { who } from './slack-notifier';

export interface SlackRemindersOptions {
  readonly manifest: Manifest;
  /** The Web API client, with the current bot token. */
  readonly api: () => Promise<SlackApi>;
  readonly rules: (flow: string) => FlowRules;
  /** Approver groups' standing members, read now. */
  readonly directory: (flow: string) => ApproverDirectory;
}

/** Mentions in one nudge: enough for any approver list worth the name, short enough to read. */
const MAX_MENTIONS = 10;

/**
 * Reminders in Slack. The requester's is a direct message, to the Slack user whose email is the request's sealed
 * requester email: the Slack user who asked (their email checked again by `users.info`), or, for a request made
 * through the requests API, the one `users.lookupByEmail` finds (scope `users:read.email`). The approvers' nudge is a
 * reply in the request's thread in its requests channel, mentioning them, so it lands under the message whose
 * Approve and Deny buttons it asks them to use (in the channel itself when that message was never posted).
 */
export class SlackReminders implements RequestReminders {
  constructor(private readonly options: SlackRemindersOptions) {}

  async remindRequester(r: AccessRequest, now: Date): Promise<void> {
    const flow = this.options.manifest.flows[r.flow];
    const api = await this.options.api();
    const user = await this.requesterIn(api, r);
    const rules = this.options.rules(r.flow);
    const card = {
      id: r.id,
      flowLabel: flow?.label ?? r.flow,
      targetLabel: this.options.manifest.targets[r.target]?.label ?? r.target,
      until: r.until!,
      minutesLeft: Math.max(1, Math.ceil((Date.parse(r.until!) - now.getTime()) / 60_000)),
      extendBy: flow === undefined ? [] : extendChoices(flow),
      ...(rules.selfExtension !== undefined && { selfExtensionMaxTotal: rules.selfExtension.maxTotal }),
      endNow: rules.allowRevoke,
    };
    await api.postMessage(user.id, expiryReminderText(card), expiryReminderBlocks(card));
  }

  async nudgeApprovers(r: AccessRequest, now: Date): Promise<void> {
    const channel = this.options.manifest.flows[r.flow]?.requestsChannel;
    if (channel === undefined) return;
    const api = await this.options.api();
    const mentions: string[] = [];
    for (const email of await this.approversOf(r)) {
      const user = await api.lookupByEmail(email).catch(() => undefined);
      if (user !== undefined && !user.deleted && !user.isBot) mentions.push(`<@${user.id}>`);
    }
    const threadTs = r.notification?.channel === channel ? r.notification.ts : undefined;
    const text = approverNudgeText({
      id: r.id,
      targetLabel: this.options.manifest.targets[r.target]?.label ?? r.target,
      requester: who(r.requester),
      duration: r.duration,
      approvers: mentions,
      deadline: r.deadline,
      minutesWaited: Math.floor((now.getTime() - Date.parse(r.createdAt)) / 60_000),
      inThread: threadTs !== undefined,
    });
    await api.postMessage(channel, text, [], threadTs === undefined ? {} : { threadTs });
  }

  /**
   * The Slack user whose email is the requester's: a deactivated user, a bot, or a Slack user who asked but whose
   * email has changed since, is told nothing.
   */
  private async requesterIn(api: SlackApi, r: AccessRequest): Promise<SlackUser> {
    const email = r.requester.email.toLowerCase();
    const user = r.requester.kind === 'slack' ? await api.userInfo(r.requester.userId) : await api.lookupByEmail(email);
    if (user === undefined)
      throw new SlackError('slack-user-refused', `no Slack user has the requester's email ${email}; the reminder of request ${r.id} is not sent`);
    const refuse = (why: string) => new SlackError('slack-user-refused', `Slack user ${user.id}: ${why}; the reminder of request ${r.id} is not sent`);
    if (user.deleted) throw refuse('is deactivated');
    if (user.isBot) throw refuse('is a bot or an app');
    if (user.email?.toLowerCase() !== email) throw refuse(`no longer has the requester's email ${email}`);
    return user;
  }

  /**
   * Who may still approve: the flow's approvers and the standing members of its approver groups (read now; a group
   * that cannot be read is left out), without the requester and those who already voted, at most {@link MAX_MENTIONS}.
   */
  private async approversOf(r: AccessRequest): Promise<string[]> {
    const rules = this.options.rules(r.flow);
    const directory = this.options.directory(r.flow);
    const members = await Promise.all(rules.approverGroups.map((group) => directory.standingMembers(group).catch(() => [] as readonly string[])));
    const voted = r.approvals.filter(isPersonApproval).map((a) => a.actor.email);
    const asked = [...new Set([...rules.approvers, ...members.flat()].map((e) => e.toLowerCase()))];
    const excluded = [r.requester.email, ...voted];
    return asked.filter((email) => !excluded.some((other) => samePerson(directory, email, other))).slice(0, MAX_MENTIONS);
  }
}

import { Construct } from 'constructs';
import { ApprovalManifest, BreakGlassManifest, FlowManifest, MAX_REQUIRED_APPROVALS, parseDuration, RemindersManifest, REQUESTER_PATTERN } from '../manifest';
import { CheckedOnCall, checkedOnCall, onCallManifest, SymOnCallParams } from './on-call-settings';
import { SymStrategy } from './sym-strategy';
import { DURATION, EMAIL, GROUP_NAME, LABEL, SLACK_CHANNEL_ID, SYM_NAME, TextRule } from './text-rules';
import { describeValue, PropProblems } from './validation';

/** Sym's flow `params`. */
export interface SymFlowParams {
  /** Sym's `strategy_id`: the strategy this flow grants access with. Required. */
  readonly strategy: SymStrategy;
  /**
   * Whether a grant may be revoked before it ends. At least one of this and `scheduleDeescalation` must be true.
   * @default true
   */
  readonly allowRevoke?: boolean;
  /**
   * Whether a grant ends by itself when its duration is up (the scheduled sweep).
   * @default true
   */
  readonly scheduleDeescalation?: boolean;
  /**
   * Durations a requester may choose from, e.g. `['30m', '1h']`.
   * @default `[]` (any duration up to `maxDuration`)
   */
  readonly durations?: readonly string[];
  /**
   * Longest grant.
   * @default the longest of `durations`, or `'1h'` when `durations` is empty
   */
  readonly maxDuration?: string;
  /**
   * Whether a requester must give a reason.
   * @default true, so every grant in the audit trail says why
   */
  readonly reasonRequired?: boolean;
  /**
   * Who may request: emails (`alice@example.com`) or whole domains (`@example.com`).
   * @default `[]` (anyone)
   */
  readonly allowedRequesters?: readonly string[];
  /**
   * The Slack channel id (`C…`, not `#name`) where this flow's requests are posted for approval; the runtime needs a
   * `slack` integration.
   * @default none (the flow is not offered in Slack)
   */
  readonly requestsChannel?: string;
  /**
   * Emails of the people who may approve (or deny) a request; compared without case.
   * @default `[]`
   */
  readonly approvers?: readonly string[];
  /**
   * Tailnet groups (without `group:`) whose *standing* members may approve, read from the policy file of the flow's
   * tailnet at the moment they vote. Members granted just in time never approve, so a grant cannot confer approval
   * rights.
   * @default `[]`
   */
  readonly approverGroups?: readonly string[];
  /**
   * Approvals that grant access, from distinct approvers. 1 to 10, at most the number of `approvers` when no
   * `approverGroups` are given.
   * @default 1
   */
  readonly requiredApprovals?: number;
  /**
   * Sym's `allow_self_approval`: whether a requester who is also an approver may approve their own request.
   * @default false
   */
  readonly allowSelfApproval?: boolean;
  /**
   * How long a request waits for its approvals before it expires, up to `7d`.
   * @default `'1h'`
   */
  readonly approvalWindow?: string;
  /**
   * Grant every request at once, without approval (Sym's auto-approving `on_request`); each grant is still recorded
   * with its requester. Exclusive with `approvers` and `approverGroups`.
   * @default false
   */
  readonly autoApprove?: boolean;
  /**
   * Approve a requester at once when they are on call now in one of these PagerDuty schedules or escalation policies
   * (recorded as the rule's approval, with the on-call entry). Anyone else's request waits for the approvers; so does
   * everyone's while PagerDuty cannot be asked (2 s). Exclusive with `autoApprove`.
   * @default none
   */
  readonly onCall?: SymOnCallParams;
  /**
   * Allow emergency requests (`breakGlass: true`, with a reason) that the requester approves themself, for at most
   * `maxDuration` (no longer than the flow's). Each is loud — audit outcome `break-glass`, an alarm — and stays
   * `needsReview` until an approver reviews it.
   * @default none (off)
   */
  readonly breakGlass?: { readonly maxDuration: string };
  /**
   * Let a requester extend their own escalated request without an approval (`symtail extend`), as long as the grant
   * lasts at most `maxTotal` in all, from its first start to the extension's end.
   * @default none (an extension needs approvals like any request)
   */
  readonly selfExtension?: { readonly maxTotal: string };
  /**
   * Reminders in Slack (the runtime needs `slack`), each sent at most once per request by the minute sweep: the
   * requester is told `beforeExpiry` before their grant ends, in a direct message with Extend and End now buttons;
   * and once a pending request has waited half its approval window, its approvers are mentioned in a reply in the
   * request's thread (`nudgeApprovers`, only for a flow with a `requestsChannel`). `beforeExpiry: false` or
   * `nudgeApprovers: false` turns one off, `reminders: false` both.
   * @default `{ beforeExpiry: '10m', nudgeApprovers: true }`
   */
  readonly reminders?: false | { readonly beforeExpiry?: string | false; readonly nudgeApprovers?: boolean };
}

export interface SymFlowProps {
  /** Sym's `name`, unique among the flows of one runtime. Required. */
  readonly name: string;
  /** Sym's `label`, shown to requesters. Required. */
  readonly label: string;
  /** Sym's `params`. Required. */
  readonly params: SymFlowParams;
}

const DEFAULT_MAX_DURATION = '1h';
const DEFAULT_APPROVAL_WINDOW = '1h';
const DEFAULT_REMINDER = '10m';
const LONGEST_APPROVAL_WINDOW = '7d';
const REQUESTER: TextRule = {
  pattern: new RegExp(REQUESTER_PATTERN),
  expected: 'an email such as "alice@example.com" or a domain such as "@example.com"',
};

/** `sym_flow`: how people ask for access through one strategy, and the limits on what they get. */
export class SymFlow extends Construct {
  readonly name: string;
  readonly label: string;
  readonly strategy: SymStrategy;
  /** Whose on-call shifts approve at once, when set: the runtime may read its token secret. */
  readonly onCall?: CheckedOnCall;
  /** Every setting, checked and defaulted, as the runtime reads it: the flow holds it once, rather than a field each. */
  private readonly entry: FlowManifest;

  constructor(scope: Construct, id: string, props: SymFlowProps) {
    super(scope, id);
    const problems = new PropProblems(this);
    this.name = problems.literal('name', props.name, SYM_NAME) ?? '';
    this.label = problems.literal('label', props.label, LABEL) ?? '';
    const params: Partial<SymFlowParams> = props.params ?? {};
    this.strategy = params.strategy as SymStrategy;
    if (!(params.strategy instanceof SymStrategy)) {
      problems.add('params.strategy', `expected a SymStrategy, got ${describeValue(params.strategy)}`);
    }
    const allowRevoke = problems.boolean('params.allowRevoke', params.allowRevoke, true);
    const scheduleDeescalation = problems.boolean('params.scheduleDeescalation', params.scheduleDeescalation, true);
    if (!allowRevoke && !scheduleDeescalation) {
      problems.add('params', 'allowRevoke and scheduleDeescalation are both false, so a grant could never end; set one of them to true');
    }
    const durations = uniqueTexts(problems, 'params.durations', params.durations, DURATION);
    const maxDuration =
      params.maxDuration === undefined
        ? (longest(durations) ?? DEFAULT_MAX_DURATION)
        : (problems.literal('params.maxDuration', params.maxDuration, DURATION) ?? DEFAULT_MAX_DURATION);
    durations.forEach((duration, index) => {
      if (parseDuration(duration) > parseDuration(maxDuration)) {
        problems.add(`params.durations[${index}]`, `"${duration}" is longer than maxDuration "${maxDuration}"`);
      }
    });
    const reasonRequired = problems.boolean('params.reasonRequired', params.reasonRequired, true);
    const allowedRequesters = uniqueTexts(problems, 'params.allowedRequesters', params.allowedRequesters, REQUESTER);
    const requestsChannel =
      params.requestsChannel === undefined ? undefined : problems.literal('params.requestsChannel', params.requestsChannel, SLACK_CHANNEL_ID);
    const approval = checkedApproval(problems, params);
    this.onCall = checkedOnCall(problems, params.onCall);
    if (params.onCall !== undefined && approval.autoApprove) {
      problems.add('params.onCall', 'autoApprove is true, so every request is approved anyway and on-call shifts would never be read; remove one of them');
    }
    const breakGlass = checkedBreakGlass(problems, params.breakGlass, maxDuration);
    const maxTotal =
      params.selfExtension === undefined ? undefined : problems.literal('params.selfExtension.maxTotal', params.selfExtension?.maxTotal, DURATION);
    const reminders = checkedReminders(problems, params.reminders, maxDuration);
    problems.throwIfAny();
    this.entry = {
      name: this.name,
      label: this.label,
      strategy: this.strategy.name,
      allowRevoke,
      scheduleDeescalation,
      durations,
      maxDuration,
      reasonRequired,
      allowedRequesters,
      ...(requestsChannel !== undefined && { requestsChannel }),
      approval,
      ...(this.onCall !== undefined && { onCall: onCallManifest(this.onCall) }),
      ...(breakGlass !== undefined && { breakGlass }),
      ...(maxTotal !== undefined && { selfExtension: { maxTotal } }),
      reminders,
    };
  }

  /** This flow's entry in the manifest: every setting, checked and defaulted. */
  manifestEntry(): FlowManifest {
    return this.entry;
  }
}

/** The break-glass params: a maximum no longer than the flow's; undefined when absent or invalid. */
function checkedBreakGlass(problems: PropProblems, value: SymFlowParams['breakGlass'], flowMaxDuration: string): BreakGlassManifest | undefined {
  if (value === undefined) return undefined;
  const maxDuration = problems.literal('params.breakGlass.maxDuration', value?.maxDuration, DURATION);
  if (maxDuration === undefined) return undefined;
  if (parseDuration(maxDuration) > parseDuration(flowMaxDuration)) {
    problems.add('params.breakGlass.maxDuration', `"${maxDuration}" is longer than the flow's maxDuration "${flowMaxDuration}"`);
    return undefined;
  }
  return { maxDuration };
}

/** The approval params, checked together: settings under which no request could ever be approved are refused. */
function checkedApproval(problems: PropProblems, params: Partial<SymFlowParams>): ApprovalManifest {
  const approvers = uniqueTexts(problems, 'params.approvers', params.approvers, EMAIL).map((e) => e.toLowerCase());
  const approverGroups = params.approverGroups?.some((g) => typeof g === 'string' && g.startsWith('group:'))
    ? (problems.add('params.approverGroups', 'drop the "group:" prefix: name groups as "admins", not "group:admins"'), [])
    : uniqueTexts(problems, 'params.approverGroups', params.approverGroups, GROUP_NAME);
  const autoApprove = problems.boolean('params.autoApprove', params.autoApprove, false);
  const requiredApprovals = problems.integer('params.requiredApprovals', params.requiredApprovals, 1, { min: 1, max: MAX_REQUIRED_APPROVALS });
  const allowSelfApproval = problems.boolean('params.allowSelfApproval', params.allowSelfApproval, false);
  const approvalWindow = problems.literal('params.approvalWindow', params.approvalWindow ?? DEFAULT_APPROVAL_WINDOW, DURATION) ?? DEFAULT_APPROVAL_WINDOW;
  if (parseDuration(approvalWindow) > parseDuration(LONGEST_APPROVAL_WINDOW)) {
    problems.add('params.approvalWindow', `expected at most "${LONGEST_APPROVAL_WINDOW}", got "${approvalWindow}"`);
  }
  const someone = approvers.length > 0 || approverGroups.length > 0;
  if (autoApprove && someone) {
    problems.add(
      'params.autoApprove',
      'true grants every request without approval, so approvers and approverGroups would never be asked; remove them or set autoApprove to false',
    );
  } else if (!autoApprove && !someone && params.approvers === undefined && params.approverGroups === undefined) {
    problems.add('params', 'requests need approval but the flow names no approvers; give approvers or approverGroups, or set autoApprove to true');
  } else if (!autoApprove && !someone) {
    problems.add(
      'params.approvers',
      'requests need approval but approvers and approverGroups are empty, so nobody could approve; name someone, or set autoApprove to true',
    );
  } else if (!autoApprove && approverGroups.length === 0 && requiredApprovals > approvers.length) {
    problems.add(
      'params.requiredApprovals',
      `${requiredApprovals} approvals required but only ${approvers.length} approver${approvers.length === 1 ? '' : 's'} named, so no request could be approved`,
    );
  }
  return { autoApprove, approvers, approverGroups, requiredApprovals, allowSelfApproval, approvalWindow };
}

/** The reminder params, with their defaults; a reminder no grant could ever get (not shorter than the longest) is refused. */
function checkedReminders(problems: PropProblems, reminders: SymFlowParams['reminders'], maxDuration: string): RemindersManifest {
  if (reminders === false) return { nudgeApprovers: false };
  if (reminders !== undefined && (typeof reminders !== 'object' || reminders === null)) {
    problems.add('params.reminders', `expected false or an object such as { beforeExpiry: '10m' }, got ${describeValue(reminders)}`);
    return { nudgeApprovers: false };
  }
  const nudgeApprovers = problems.boolean('params.reminders.nudgeApprovers', reminders?.nudgeApprovers, true);
  const given = reminders?.beforeExpiry;
  if (given === false) return { nudgeApprovers };
  const beforeExpiry = problems.literal('params.reminders.beforeExpiry', given ?? DEFAULT_REMINDER, DURATION);
  if (beforeExpiry === undefined) return { nudgeApprovers };
  if (parseDuration(beforeExpiry) >= parseDuration(maxDuration)) {
    // The default gives way to a flow whose grants are all shorter than it: nothing to remind of, and nothing to refuse.
    if (given === undefined) return { nudgeApprovers };
    problems.add(
      'params.reminders.beforeExpiry',
      `"${beforeExpiry}" is not shorter than the flow's maxDuration "${maxDuration}", so no grant would ever be reminded of; shorten it or set false`,
    );
    return { nudgeApprovers };
  }
  return { beforeExpiry, nudgeApprovers };
}

/** The entries of an optional array that follow `rule`, each once (compared without case). */
function uniqueTexts(problems: PropProblems, prop: string, values: readonly string[] | undefined, rule: TextRule): string[] {
  const seen = new Map<string, number>();
  return problems.array(prop, values).filter((value, index) => {
    const checked = problems.literal(`${prop}[${index}]`, value, rule);
    if (checked === undefined) return false;
    const first = seen.get(checked.toLowerCase());
    if (first !== undefined) {
      problems.add(`${prop}[${index}]`, `"${checked}" is already ${prop}[${first}]; list each once`);
      return false;
    }
    seen.set(checked.toLowerCase(), index);
    return true;
  });
}

function longest(durations: readonly string[]): string | undefined {
  return [...durations].sort((a, b) => parseDuration(b) - parseDuration(a))[0];
}

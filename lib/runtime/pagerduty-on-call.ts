import { SymtailError } from '../errors';
import { Manifest, PagerDutyManifest } from '../manifest';
import { OnCallDirectory, OnCallEntry } from '../requests';
import { SecretTextCache } from './credentials';

/** PagerDuty could not say who is on call: unreachable, too slow, refused the token, or answered what cannot be read. */
export class OnCallUnavailableError extends SymtailError<'on-call-unavailable'> {
  constructor(message: string) {
    super('on-call-unavailable', message);
  }
}

/** How long a new request waits for PagerDuty (the token's read included) before it goes to people instead. */
export const ON_CALL_BUDGET_MS = 2000;
/** Entries per page (PagerDuty's largest), and pages read at most: one schedule at one instant has a handful. */
const PAGE_SIZE = 100;
const MAX_PAGES = 5;
const MAX_ANSWER_BYTES = 1024 * 1024;

export interface PagerDutyOnCallOptions {
  readonly budgetMs?: number;
}

/**
 * Who is on call, from PagerDuty's REST API: `GET /oncalls` for the flow's schedules and escalation policies with
 * `since` = `until` = now and `include[]=users` (for emails), `Authorization: Token token=…` from the flow's secret.
 * Everything, the token's read included, must be done within {@link ON_CALL_BUDGET_MS}; otherwise, or on any answer
 * but a readable 200, it throws {@link OnCallUnavailableError} (the token never in its message).
 */
export class PagerDutyOnCall implements OnCallDirectory {
  constructor(
    private readonly manifest: Manifest,
    private readonly secrets: SecretTextCache,
    private readonly options: PagerDutyOnCallOptions = {},
  ) {}

  async onCallNow(flow: string, email: string, now: Date): Promise<readonly OnCallEntry[]> {
    const pagerDuty = this.manifest.flows[flow]?.onCall?.pagerDuty;
    if (pagerDuty === undefined) return [];
    const budgetMs = this.options.budgetMs ?? ON_CALL_BUDGET_MS;
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new OnCallUnavailableError(`PagerDuty did not answer within ${budgetMs} ms`));
      }, budgetMs);
    });
    try {
      const entries = await Promise.race([this.read(pagerDuty, now, abort.signal), late]);
      return entries.filter((e) => e.email === email.toLowerCase());
    } finally {
      clearTimeout(timer);
    }
  }

  private async read(pagerDuty: PagerDutyManifest, now: Date, signal: AbortSignal): Promise<OnCallEntry[]> {
    const token = await this.secrets.get(pagerDuty.token);
    const entries: OnCallEntry[] = [];
    for (let page = 0, offset = 0; page < MAX_PAGES; page++) {
      const answer = await this.page(pagerDuty, token, now, offset, signal);
      entries.push(...answer.entries);
      if (!answer.more) return entries;
      offset += answer.entries.length;
    }
    throw new OnCallUnavailableError(`PagerDuty listed more than ${MAX_PAGES * PAGE_SIZE} on-call entries; name fewer schedules or escalation policies`);
  }

  private async page(
    pagerDuty: PagerDutyManifest,
    token: string,
    now: Date,
    offset: number,
    signal: AbortSignal,
  ): Promise<{ entries: OnCallEntry[]; more: boolean }> {
    const query = new URLSearchParams();
    for (const id of pagerDuty.schedules) query.append('schedule_ids[]', id);
    for (const id of pagerDuty.escalationPolicies) query.append('escalation_policy_ids[]', id);
    query.set('since', now.toISOString());
    query.set('until', now.toISOString());
    query.append('include[]', 'users');
    query.set('limit', String(PAGE_SIZE));
    query.set('offset', String(offset));
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${pagerDuty.apiUrl}/oncalls?${query}`, {
        headers: { Authorization: `Token token=${token}`, Accept: 'application/vnd.pagerduty+json;version=2' },
        signal,
        redirect: 'error',
      });
      text = await response.text();
    } catch (error) {
      if (signal.aborted) throw new OnCallUnavailableError('PagerDuty did not answer in time');
      throw new OnCallUnavailableError(
        `PagerDuty at ${pagerDuty.apiUrl} could not be reached (${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name})`,
      );
    }
    if (response.status !== 200) throw new OnCallUnavailableError(`PagerDuty answered GET /oncalls with HTTP ${response.status}`);
    if (text.length > MAX_ANSWER_BYTES) throw new OnCallUnavailableError('PagerDuty answered GET /oncalls with more than 1 MiB');
    return parseOnCalls(text);
  }
}

/** PagerDuty's answer to `GET /oncalls?include[]=users`, read strictly: an entry it cannot read fails the whole answer. */
export function parseOnCalls(text: string): { entries: OnCallEntry[]; more: boolean } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new OnCallUnavailableError('PagerDuty answered GET /oncalls with something that is not JSON');
  }
  const oncalls = (body as { oncalls?: unknown } | null)?.oncalls;
  if (!Array.isArray(oncalls)) throw new OnCallUnavailableError('PagerDuty answered GET /oncalls without an "oncalls" array');
  const entries = oncalls.map((raw: unknown, i): OnCallEntry => {
    const o = (raw ?? {}) as Record<string, unknown>;
    const bad = (what: string) => new OnCallUnavailableError(`PagerDuty's oncalls[${i}]: ${what}`);
    const user = o.user as { email?: unknown } | null | undefined;
    if (typeof user?.email !== 'string' || !/^[\x21-\x7e]{1,128}@[\x21-\x7e]{1,253}$/.test(user.email)) throw bad('no user email (asked with include[]=users)');
    const policy = o.escalation_policy as { id?: unknown } | null | undefined;
    if (typeof policy?.id !== 'string') throw bad('no escalation_policy.id');
    const schedule = o.schedule as { id?: unknown } | null | undefined;
    if (schedule !== null && schedule !== undefined && typeof schedule.id !== 'string') throw bad('a schedule without an id');
    if (typeof o.escalation_level !== 'number' || !Number.isSafeInteger(o.escalation_level)) throw bad('no escalation_level');
    const time = (field: 'start' | 'end') => {
      const value = o[field];
      if (value === null || value === undefined) return {};
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw bad(`${field} is not a time`);
      return { [field]: new Date(value).toISOString() };
    };
    return {
      provider: 'pagerduty',
      email: user.email.toLowerCase(),
      escalationPolicyId: policy.id,
      ...(schedule?.id === undefined ? {} : { scheduleId: schedule.id as string }),
      escalationLevel: o.escalation_level,
      ...time('start'),
      ...time('end'),
    };
  });
  return { entries, more: (body as { more?: unknown }).more === true };
}

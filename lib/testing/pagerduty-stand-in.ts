import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback, sendJson } from './http-io';

/** One on-call shift the stand-in serves: a user of a schedule (or a direct target of a policy), at a level. */
export interface StandInOnCall {
  readonly email: string;
  readonly escalationPolicyId: string;
  /** Absent: the user is a direct target of the escalation policy (PagerDuty's `schedule: null`). */
  readonly scheduleId?: string;
  /** Default: 1. */
  readonly escalationLevel?: number;
  /** ISO 8601; absent: a permanent on-call (PagerDuty's `start: null`). */
  readonly start?: string;
  /** ISO 8601; absent: never goes off call (`end: null`). */
  readonly end?: string;
}

export interface PagerDutyStandInOptions {
  /** The REST API token calls must carry as `Authorization: Token token=…`. Default: `pd-stand-in-token`. */
  readonly token?: string;
  readonly onCalls?: readonly StandInOnCall[];
}

/** One `GET /oncalls` as the stand-in received it. */
export interface RecordedOnCallsCall {
  readonly scheduleIds: readonly string[];
  readonly escalationPolicyIds: readonly string[];
  readonly since?: string;
  readonly until?: string;
  readonly include: readonly string[];
  readonly status: number;
}

/**
 * A local stand-in for PagerDuty's REST API `GET /oncalls`, on loopback: it checks the token header and the version
 * `Accept` header as PagerDuty does, filters its shifts by `schedule_ids[]` and `escalation_policy_ids[]` and by the
 * `since`/`until` range, expands users to objects with `email` only when asked with `include[]=users`, and pages with
 * `limit`/`offset`/`more`. It can be made slow (`delayMs`) or down (`down`: every call answers 503).
 */
export class PagerDutyStandIn {
  readonly token: string;
  onCalls: StandInOnCall[];
  /** Milliseconds each answer waits. */
  delayMs = 0;
  /** When true, every call is answered 503. */
  down = false;
  private readonly log: RecordedOnCallsCall[] = [];
  private origin = '';

  private constructor(
    private readonly server: Server,
    options: PagerDutyStandInOptions,
  ) {
    this.token = options.token ?? 'pd-stand-in-token';
    this.onCalls = [...(options.onCalls ?? [])];
  }

  static async start(options: PagerDutyStandInOptions = {}): Promise<PagerDutyStandIn> {
    let standIn: PagerDutyStandIn | undefined;
    const server = createServer((req, res) => {
      standIn!.handle(req, res).catch(() => sendJson(res, 500, { error: { message: 'stand-in failure' } }));
    });
    standIn = new PagerDutyStandIn(server, options);
    standIn.origin = await listenOnLoopback(server);
    return standIn;
  }

  /** The API origin to configure (`apiUrl`). */
  get url(): string {
    return this.origin;
  }

  get calls(): readonly RecordedOnCallsCall[] {
    return this.log;
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const q = url.searchParams;
    const call = {
      scheduleIds: q.getAll('schedule_ids[]'),
      escalationPolicyIds: q.getAll('escalation_policy_ids[]'),
      ...(q.has('since') && { since: q.get('since')! }),
      ...(q.has('until') && { until: q.get('until')! }),
      include: q.getAll('include[]'),
    };
    const answer = (status: number, body: unknown) => {
      this.log.push({ ...call, status });
      setTimeout(() => sendJson(res, status, body), this.delayMs);
    };
    if (this.down) return answer(503, { error: { message: 'Service Unavailable', code: 2000 } });
    if (req.method !== 'GET' || url.pathname !== '/oncalls') return answer(404, { error: { message: 'Not Found', code: 2100 } });
    if (req.headers.authorization !== `Token token=${this.token}`) return answer(401, { error: { message: 'Unauthorized', code: 2006 } });
    if (req.headers.accept !== 'application/vnd.pagerduty+json;version=2') return answer(406, { error: { message: 'Not Acceptable', code: 2001 } });
    const since = Date.parse(call.since ?? new Date().toISOString());
    const until = Date.parse(call.until ?? new Date().toISOString());
    if (Number.isNaN(since) || Number.isNaN(until) || until < since) return answer(400, { error: { message: 'Invalid Input Provided', code: 2001 } });
    const users = call.include.includes('users');
    const matching = this.onCalls.filter(
      (o) =>
        (call.scheduleIds.length === 0 || (o.scheduleId !== undefined && call.scheduleIds.includes(o.scheduleId))) &&
        (call.escalationPolicyIds.length === 0 || call.escalationPolicyIds.includes(o.escalationPolicyId)) &&
        // PagerDuty lists a shift that overlaps the range; an instant (since = until) inside it overlaps.
        (o.start === undefined || Date.parse(o.start) <= until) &&
        (o.end === undefined || Date.parse(o.end) > since),
    );
    const limit = Math.min(Number(q.get('limit') ?? 25) || 25, 100);
    const offset = Number(q.get('offset') ?? 0) || 0;
    const page = matching.slice(offset, offset + limit);
    answer(200, {
      oncalls: page.map((o, i) => ({
        user: users
          ? { id: `PU${offset + i}`, type: 'user', name: o.email.split('@')[0], email: o.email, self: `${this.origin}/users/PU${offset + i}` }
          : { id: `PU${offset + i}`, type: 'user_reference', summary: o.email.split('@')[0], self: `${this.origin}/users/PU${offset + i}` },
        schedule: o.scheduleId === undefined ? null : { id: o.scheduleId, type: 'schedule_reference', self: `${this.origin}/schedules/${o.scheduleId}` },
        escalation_policy: {
          id: o.escalationPolicyId,
          type: 'escalation_policy_reference',
          self: `${this.origin}/escalation_policies/${o.escalationPolicyId}`,
        },
        escalation_level: o.escalationLevel ?? 1,
        start: o.start ?? null,
        end: o.end ?? null,
      })),
      limit,
      offset,
      more: offset + limit < matching.length,
      total: null,
    });
  }
}

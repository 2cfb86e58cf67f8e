import { DEFAULT_PAGERDUTY_API_URL, OnCallManifest } from '../manifest';
import { isSymSecret, ISymSecret, manifestSecretRef } from './secret-reference';
import { API_ORIGIN, PAGERDUTY_ID } from './text-rules';
import { describeValue, PropProblems } from './validation';

/** A flow's on-call rule: requesters on call now in these PagerDuty schedules or escalation policies are approved at once. */
export interface SymOnCallParams {
  /** PagerDuty's REST API. Required (the only provider today). */
  readonly pagerDuty: SymPagerDutyParams;
}

export interface SymPagerDutyParams {
  /**
   * Schedule ids (`PI7DH85`) whose on-call users are approved. At least one schedule or escalation policy.
   * @default `[]`
   */
  readonly schedules?: readonly string[];
  /**
   * Escalation policy ids (`PT20YPA`) whose on-call users, at any level, are approved.
   * @default `[]`
   */
  readonly escalationPolicies?: readonly string[];
  /** The secret holding a PagerDuty REST API token (read-only is enough); the runtime may read it. Required. */
  readonly tokenSecret: ISymSecret;
  /**
   * PagerDuty's API origin: https, or http to loopback only.
   * @default `https://api.pagerduty.com`
   */
  readonly apiUrl?: string;
}

/** Most schedules, and most escalation policies, one flow may name: one `GET /oncalls` asks for all of them. */
const MAX_IDS = 20;

/** A flow's on-call rule, checked. */
export interface CheckedOnCall {
  readonly schedules: readonly string[];
  readonly escalationPolicies: readonly string[];
  readonly apiUrl: string;
  /** Read by the runtime: its role may `GetSecretValue` it. */
  readonly tokenSecret: ISymSecret;
}

/** The on-call rule as the manifest carries it: the token by secret id, never its value. */
export function onCallManifest(onCall: CheckedOnCall): OnCallManifest {
  const { schedules, escalationPolicies, apiUrl } = onCall;
  return { pagerDuty: { apiUrl, token: manifestSecretRef(onCall.tokenSecret), schedules, escalationPolicies } };
}

/** The checked on-call rule of a flow (`params.onCall`); undefined when absent or invalid (then `problems` says why). */
export function checkedOnCall(problems: PropProblems, value: SymOnCallParams | undefined): CheckedOnCall | undefined {
  if (value === undefined) return undefined;
  const pd = (value as Partial<SymOnCallParams>).pagerDuty;
  if (pd === null || typeof pd !== 'object') {
    problems.add('params.onCall.pagerDuty', `expected { schedules?, escalationPolicies?, tokenSecret, apiUrl? }, got ${describeValue(pd)}`);
    return undefined;
  }
  const ids = (prop: 'schedules' | 'escalationPolicies') => {
    const at = `params.onCall.pagerDuty.${prop}`;
    const list = problems.array(at, pd[prop]);
    if (list.length > MAX_IDS) problems.add(at, `expected at most ${MAX_IDS} ids, got ${list.length}`);
    const seen = new Set<string>();
    return list.flatMap((id, i) => {
      const checked = problems.literal(`${at}[${i}]`, id, PAGERDUTY_ID);
      if (checked === undefined) return [];
      if (seen.has(checked)) {
        problems.add(`${at}[${i}]`, `"${checked}" is listed twice; list each once`);
        return [];
      }
      seen.add(checked);
      return [checked];
    });
  };
  const schedules = ids('schedules');
  const escalationPolicies = ids('escalationPolicies');
  if ((pd.schedules ?? []).length === 0 && (pd.escalationPolicies ?? []).length === 0) {
    problems.add('params.onCall.pagerDuty', 'names no schedules and no escalation policies, so nobody would be on call; give schedules or escalationPolicies');
  }
  if (!isSymSecret(pd.tokenSecret)) {
    // A string here is most likely the token itself: never echoed.
    const got = typeof pd.tokenSecret === 'string' ? 'a string (not shown: it may be the token itself)' : describeValue(pd.tokenSecret);
    problems.add('params.onCall.pagerDuty.tokenSecret', `expected a SymSecret holding the token, got ${got}`);
  }
  const apiUrl = problems.literal('params.onCall.pagerDuty.apiUrl', pd.apiUrl ?? DEFAULT_PAGERDUTY_API_URL, API_ORIGIN) ?? DEFAULT_PAGERDUTY_API_URL;
  if (!isSymSecret(pd.tokenSecret)) return undefined;
  return { schedules, escalationPolicies, apiUrl, tokenSecret: pd.tokenSecret };
}

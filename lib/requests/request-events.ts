import { SymtailError } from '../errors';
import { AccessRequest, RequestTransition } from './model';

/** The `source` of every event of a request's state change. */
export const EVENT_SOURCE = 'symtail';
/** The environment variable that names the EventBridge bus (its ARN) the runtime puts request events on. */
export const EVENT_BUS_VARIABLE = 'SYMTAIL_EVENT_BUS';

/**
 * What an event of a state change carries: which change (`state`, `actor`, `at`), an id that is the same each time
 * the same change is sent (`eventId`: request id and version, for consumers that drop repeats), and the request as
 * the requests API shows it, without its MAC or the store's bookkeeping.
 *
 *   {"eventId":"r-0123456789abcdef/3","state":"escalated","at":"2026-11-29T10:05:01.000Z",
 *    "actor":{"kind":"iam","arn":"arn:aws:iam::111122223333:user/bob","email":"bob@example.com"},
 *    "request":{"id":"r-0123456789abcdef","state":"escalated","flow":"tailscale-ssh-access",…}}
 */
export interface RequestEventDetail {
  readonly eventId: string;
  readonly state: RequestTransition['state'];
  readonly actor: RequestTransition['actor'];
  readonly at: string;
  readonly request: Omit<AccessRequest, 'version' | 'mac' | 'unpublished'>;
}

/** One event to put: `detail-type` `symtail.request.<state>`, source {@link EVENT_SOURCE}. */
export interface RequestEvent {
  readonly detailType: `symtail.request.${RequestTransition['state']}`;
  readonly time: string;
  readonly detail: RequestEventDetail;
}

/**
 * Where state changes of requests are published, in order. `publish` resolves only when every event was accepted;
 * otherwise it throws a {@link RequestEventsError} and the caller keeps all of them for another try (events may then
 * arrive twice; `eventId` tells repeats apart).
 */
export interface RequestEvents {
  publish(events: readonly RequestEvent[]): Promise<void>;
}

/** Events could not be published: the bus refused some, or could not be reached. */
export class RequestEventsError extends SymtailError<'events-unpublished'> {}

/**
 * The unpublished changes of `r` its sealed record can vouch for: each at a version `r` has reached, each version once,
 * and the change at `r`'s own version to `r`'s own (sealed) state. The list itself is not sealed (it is removed once
 * sent, without a new write), so a table write could add changes that never happened; those are not sent.
 *
 *   r at version 3, escalated; unpublished [{approved, 2}, {escalated, 3}]  → both sent
 *   r at version 1, pending;   unpublished [{escalated, 2}] (written in)      → none sent
 */
export function attestedTransitions(r: AccessRequest): RequestTransition[] {
  const seen = new Set<number>();
  return (r.unpublished ?? []).filter((t) => {
    if (t === null || typeof t !== 'object' || !Number.isSafeInteger(t.version) || t.version < 1 || t.version > r.version || seen.has(t.version)) return false;
    seen.add(t.version);
    return t.version !== r.version || t.state === r.state;
  });
}

/**
 * The event of `transition`, with `request` as it is when the event is sent: for a change published at once that is
 * the request the change wrote; for one the sweep sends later, the request as it is by then (its `state` may have
 * moved on; the event's `state` is the change's).
 */
export function requestEvent(request: AccessRequest, transition: RequestTransition): RequestEvent {
  const { version: _version, mac: _mac, unpublished: _unpublished, ...shown } = request;
  return {
    detailType: `symtail.request.${transition.state}`,
    time: transition.at,
    detail: { eventId: `${request.id}/${transition.version}`, state: transition.state, actor: transition.actor, at: transition.at, request: shown },
  };
}

import type { ErrorObject } from 'ajv';
import { EVENT_SCHEMAS } from './event-schemas';
import * as compiled from './event-validators.generated';
import { quoteForMessage, SymtailError } from '../errors';

export { MAX_REASON_LENGTH } from './event-schemas';

export interface Requester {
  readonly email: string;
}

interface AccessEventBase {
  readonly flow: string;
  readonly target: string;
  readonly requester: Requester;
  readonly reason?: string;
  readonly requestId?: string;
  /** Compute and return the change without writing the policy file. */
  readonly dryRun?: boolean;
}

export interface EscalateEvent extends AccessEventBase {
  readonly action: 'escalate';
  /** How long the grant lasts; defaults to the flow's first listed duration, else its maximum. */
  readonly duration?: string;
}

export interface DeescalateEvent extends AccessEventBase {
  readonly action: 'deescalate';
}

export interface SweepEvent {
  readonly action: 'sweep';
  readonly dryRun?: boolean;
}

export interface StatusEvent {
  readonly action: 'status';
  /** Limit the report to one flow's targets. */
  readonly flow?: string;
}

/** Asks the runtime to check its own deployment (secrets, tailnet, table, key, Slack, schedule) and change nothing. */
export interface CheckEvent {
  readonly action: 'check';
}

/** The events the access engine answers. */
export type RuntimeEvent = EscalateEvent | DeescalateEvent | SweepEvent | StatusEvent;
/** Every event the Lambda handler takes directly: the engine's, and the check. */
export type HandlerEvent = RuntimeEvent | CheckEvent;

type Action = keyof typeof EVENT_SCHEMAS;
/** Every action an event may name. */
export const ACTIONS: readonly Action[] = Object.keys(EVENT_SCHEMAS) as Action[];

/** An event that is not one of the shapes; the message names the field and what was expected. */
export class EventError extends SymtailError<'invalid-event'> {
  constructor(message: string) {
    super('invalid-event', message);
  }
}

export type Validator = ((value: unknown) => boolean) & { errors?: ErrorObject[] | null };
/** EVENT_SCHEMAS compiled ahead of time (scripts/compile-validators.ts), keyed by action. */
const VALIDATORS = compiled as unknown as Record<Action, Validator>;

function describe(error: ErrorObject, root: string): string {
  const where = root + error.instancePath.replace(/\//g, '.');
  switch (error.keyword) {
    case 'additionalProperties':
      return `${where}: unknown field ${quoteForMessage((error.params as { additionalProperty: string }).additionalProperty)}`;
    case 'required':
      return `${where}.${(error.params as { missingProperty: string }).missingProperty}: required`;
    case 'pattern':
      return `${where}: ${where.endsWith('.duration') ? 'expected a duration such as "30m" or "1h"' : `does not match ${(error.params as { pattern: string }).pattern}`}`;
    default:
      return `${where}: ${error.message}`;
  }
}

/**
 * Checks an untrusted object against the compiled validator of its `action`; throws EventError naming the first bad
 * field, under `root` (`event`, `body`).
 */
export function parseActionObject<T>(value: unknown, validators: Readonly<Record<string, Validator>>, actions: readonly string[], root: string): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EventError(`${root}: expected a JSON object with an "action" field`);
  }
  const action = (value as { action?: unknown }).action;
  if (typeof action !== 'string' || !actions.includes(action)) {
    throw new EventError(`${root}.action: expected one of ${actions.join(', ')}, got ${quoteForMessage(action)}`);
  }
  const check = validators[action];
  if (!check(value)) throw new EventError(describe(check.errors![0], root));
  return value as T;
}

/** Checks an untrusted Lambda event; throws EventError naming the first bad field. */
export function parseEvent(value: unknown): HandlerEvent {
  return parseActionObject<HandlerEvent>(value, VALIDATORS, ACTIONS, 'event');
}

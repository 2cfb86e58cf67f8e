import Ajv, { ErrorObject } from 'ajv';
import { DURATION_PATTERN, NAME_PATTERN } from '../manifest';

/** Request ids travel into the policy file's annotation comments, so their alphabet is closed. */
export const REQUEST_ID_PATTERN = '^[A-Za-z0-9._:-]{1,128}$';
export const MAX_REASON_LENGTH = 1024;

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

export type RuntimeEvent = EscalateEvent | DeescalateEvent | SweepEvent | StatusEvent;

const name = { type: 'string', pattern: NAME_PATTERN } as const;
const accessProperties = {
  flow: name,
  target: name,
  requester: {
    type: 'object',
    additionalProperties: false,
    required: ['email'],
    properties: { email: { type: 'string', minLength: 3, maxLength: 256, pattern: '^[^\\s@]+@[^\\s@]+$' } },
  },
  reason: { type: 'string', maxLength: MAX_REASON_LENGTH },
  requestId: { type: 'string', pattern: REQUEST_ID_PATTERN },
  dryRun: { type: 'boolean' },
} as const;

const EVENT_SCHEMAS = {
  escalate: {
    type: 'object',
    additionalProperties: false,
    required: ['action', 'flow', 'target', 'requester'],
    properties: {
      action: { const: 'escalate' },
      ...accessProperties,
      duration: { type: 'string', pattern: DURATION_PATTERN },
    },
  },
  deescalate: {
    type: 'object',
    additionalProperties: false,
    required: ['action', 'flow', 'target', 'requester'],
    properties: { action: { const: 'deescalate' }, ...accessProperties },
  },
  sweep: {
    type: 'object',
    additionalProperties: false,
    required: ['action'],
    properties: { action: { const: 'sweep' }, dryRun: { type: 'boolean' } },
  },
  status: {
    type: 'object',
    additionalProperties: false,
    required: ['action'],
    properties: { action: { const: 'status' }, flow: name },
  },
} as const;

type Action = keyof typeof EVENT_SCHEMAS;
const ACTIONS = Object.keys(EVENT_SCHEMAS) as Action[];

/** An event that is not one of the four shapes; the message names the field and what was expected. */
export class EventError extends Error {
  readonly code = 'invalid-event';
  constructor(message: string) {
    super(message);
    this.name = 'EventError';
  }
}

type Validators = Record<Action, ReturnType<Ajv['compile']>>;
let validators: Validators | undefined;

/** Compiled on first use, not at module load, so a cold start that is never sent an event pays nothing. */
function validatorFor(action: Action) {
  if (!validators) {
    // Constant schemas: no meta-schema check, which would cost the first event of every container a compile.
    const ajv = new Ajv({ allErrors: false, strict: true, validateSchema: false });
    validators = Object.fromEntries(ACTIONS.map((a) => [a, ajv.compile(EVENT_SCHEMAS[a])])) as Validators;
  }
  return validators[action];
}

function describe(error: ErrorObject): string {
  const where = 'event' + error.instancePath.replace(/\//g, '.');
  switch (error.keyword) {
    case 'additionalProperties':
      return `${where}: unknown field "${(error.params as { additionalProperty: string }).additionalProperty}"`;
    case 'required':
      return `${where}.${(error.params as { missingProperty: string }).missingProperty}: required`;
    case 'pattern':
      return `${where}: ${where.endsWith('.duration') ? 'expected a duration such as "30m" or "1h"' : `does not match ${(error.params as { pattern: string }).pattern}`}`;
    default:
      return `${where}: ${error.message}`;
  }
}

/** Checks an untrusted Lambda event; throws EventError naming the first bad field. */
export function parseEvent(value: unknown): RuntimeEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EventError('event: expected a JSON object with an "action" field');
  }
  const action = (value as { action?: unknown }).action;
  if (typeof action !== 'string' || !(ACTIONS as string[]).includes(action)) {
    throw new EventError(`event.action: expected one of ${ACTIONS.join(', ')}, got ${JSON.stringify(action) ?? 'nothing'}`);
  }
  const check = validatorFor(action as Action);
  if (!check(value)) throw new EventError(describe(check.errors![0]));
  return value as RuntimeEvent;
}

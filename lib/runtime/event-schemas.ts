import { DURATION_PATTERN, NAME_PATTERN } from '../manifest';
import { REQUEST_ID_PATTERN } from '../policy';

export const MAX_REASON_LENGTH = 1024;

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

/** One JSON Schema per action; compiled ahead of time by scripts/compile-validators.ts. */
export const EVENT_SCHEMAS = {
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
  check: {
    type: 'object',
    additionalProperties: false,
    required: ['action'],
    properties: { action: { const: 'check' } },
  },
} as const;

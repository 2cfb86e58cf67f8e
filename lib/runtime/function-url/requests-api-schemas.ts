import { DURATION_PATTERN, NAME_PATTERN } from '../../manifest';
import { REQUEST_ID_PATTERN } from '../../policy';
import { REQUEST_STATES } from '../../requests';
import { MAX_REASON_LENGTH } from '../event-schemas';

const name = { type: 'string', pattern: NAME_PATTERN } as const;
const requestId = { type: 'string', pattern: REQUEST_ID_PATTERN } as const;
const reason = { type: 'string', maxLength: MAX_REASON_LENGTH } as const;
/** The identity proof's fields, on every call: at least 16 random bytes, and the function URL's host. */
const proofFields = {
  nonce: { type: 'string', pattern: '^[A-Za-z0-9_-]{22,128}$' },
  audience: { type: 'string', pattern: '^[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?$' },
} as const;
const PROOF_REQUIRED = ['nonce', 'audience'] as const;

function onRequest<A extends string>(action: A) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['action', 'requestId', ...PROOF_REQUIRED],
    properties: { action: { const: action }, requestId, ...proofFields },
  } as const;
}

/** One JSON Schema per action of the requests API (the body of a POST to its function URL); compiled ahead of time. */
export const REQUESTS_API_SCHEMAS = {
  request: {
    type: 'object',
    additionalProperties: false,
    required: ['action', 'flow', 'target', ...PROOF_REQUIRED],
    properties: {
      action: { const: 'request' },
      flow: name,
      target: name,
      duration: { type: 'string', pattern: DURATION_PATTERN },
      reason,
      breakGlass: { type: 'boolean' },
      ...proofFields,
    },
  },
  approve: onRequest('approve'),
  deny: {
    type: 'object',
    additionalProperties: false,
    required: ['action', 'requestId', ...PROOF_REQUIRED],
    properties: { action: { const: 'deny' }, requestId, reason, ...proofFields },
  },
  cancel: onRequest('cancel'),
  revoke: onRequest('revoke'),
  get: onRequest('get'),
  review: {
    type: 'object',
    additionalProperties: false,
    required: ['action', 'requestId', ...PROOF_REQUIRED],
    properties: { action: { const: 'review' }, requestId, note: reason, ...proofFields },
  },
  extend: {
    type: 'object',
    additionalProperties: false,
    required: ['action', 'requestId', 'duration', ...PROOF_REQUIRED],
    properties: { action: { const: 'extend' }, requestId, duration: { type: 'string', pattern: DURATION_PATTERN }, ...proofFields },
  },
  requests: {
    type: 'object',
    additionalProperties: false,
    required: ['action', ...PROOF_REQUIRED],
    // The cursor's own check names what it expects (the nextCursor of an earlier answer); the schema only bounds it.
    properties: { action: { const: 'requests' }, state: { enum: REQUEST_STATES }, cursor: { type: 'string', maxLength: 512 }, ...proofFields },
  },
} as const;

import { DURATION_PATTERN, NAME_PATTERN } from '../../manifest';
import { REQUEST_ID_PATTERN } from '../../policy';
import { REQUEST_STATES } from '../../requests';
import { MAX_REASON_LENGTH } from '../event-schemas';

const name = { type: 'string', pattern: NAME_PATTERN } as const;
const requestId = { type: 'string', pattern: REQUEST_ID_PATTERN } as const;
const reason = { type: 'string', maxLength: MAX_REASON_LENGTH } as const;

function onRequest<A extends string>(action: A) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['action', 'requestId'],
    properties: { action: { const: action }, requestId },
  } as const;
}

/** One JSON Schema per action of the requests API (the body of a POST to its function URL); compiled ahead of time. */
export const REQUESTS_API_SCHEMAS = {
  request: {
    type: 'object',
    additionalProperties: false,
    required: ['action', 'flow', 'target'],
    properties: { action: { const: 'request' }, flow: name, target: name, duration: { type: 'string', pattern: DURATION_PATTERN }, reason },
  },
  approve: onRequest('approve'),
  deny: {
    type: 'object',
    additionalProperties: false,
    required: ['action', 'requestId'],
    properties: { action: { const: 'deny' }, requestId, reason },
  },
  cancel: onRequest('cancel'),
  revoke: onRequest('revoke'),
  get: onRequest('get'),
  requests: {
    type: 'object',
    additionalProperties: false,
    required: ['action'],
    properties: { action: { const: 'requests' }, state: { enum: REQUEST_STATES } },
  },
} as const;

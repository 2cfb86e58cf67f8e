import { PolicyInputError, quoteForMessage } from './errors';
import { GROUP_NAME_PATTERN, REQUEST_ID_PATTERN } from './patterns';

const GROUP_NAME = new RegExp(GROUP_NAME_PATTERN);
const REQUEST_ID = new RegExp(REQUEST_ID_PATTERN);

export function isRequestId(id: string): boolean {
  return REQUEST_ID.test(id);
}

export function validateGroupName(name: unknown, field = 'group'): string {
  if (typeof name === 'string' && name.startsWith('group:')) {
    throw new PolicyInputError(field, `a group name without "group:" (e.g. "${name.slice(6)}")`, quoteForMessage(name));
  }
  if (typeof name !== 'string' || !GROUP_NAME.test(name)) {
    throw new PolicyInputError(field, 'a group name of letters, digits, ".", "_" or "-" (at most 64)', quoteForMessage(name));
  }
  return name;
}

export function validateRequestId(id: unknown, field = 'requestId'): string {
  if (typeof id !== 'string' || !isRequestId(id)) {
    throw new PolicyInputError(field, 'a request id of 1 to 128 letters, digits, ".", "_", ":" or "-"', quoteForMessage(id));
  }
  return id;
}

/** A valid Date as the annotation writes it: whole seconds, UTC, `Z`. */
export function validateExpiry(until: unknown, field = 'until'): string {
  const valid = until instanceof Date && !Number.isNaN(until.getTime());
  const year = valid ? (until as Date).getUTCFullYear() : 0;
  if (!valid || year < 1970 || year > 9999) {
    throw new PolicyInputError(field, 'a date between 1970 and 9999', valid ? (until as Date).toISOString() : 'an invalid date');
  }
  return formatExpiry(until as Date);
}

/** A date as annotations, audit lines and reports write an expiry: ISO 8601 at whole seconds, UTC, `Z`. */
export function formatExpiry(until: Date): string {
  return until.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

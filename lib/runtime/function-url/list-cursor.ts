import { quoteForMessage } from '../../errors';
import { REQUEST_ID_PATTERN } from '../../policy';
import { ListPosition, RequestError } from '../../requests';

/**
 * The `nextCursor` of a `requests` answer, which the caller hands back as `cursor` for the next page. Callers treat
 * it as opaque; it is the position the page ended at (base64url of `{"at":createdAt,"id":id}`), which grants nothing:
 * any mapped caller may list every request. A cursor the API did not write is refused whole, naming the field.
 */
export function encodeListCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify({ at: position.createdAt, id: position.id })).toString('base64url');
}

const CURSOR = /^[A-Za-z0-9_-]{1,512}$/;
/** A creation time as the requests core writes it (toISOString). */
const CREATED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const REQUEST_ID = new RegExp(REQUEST_ID_PATTERN);

/** The position a cursor names; a RequestError (`invalid-request`, 400) naming `field` for anything else. */
export function decodeListCursor(cursor: string, field: string): ListPosition {
  const refused = () => new RequestError('invalid-request', `${field}: expected the nextCursor of an earlier answer, got ${quoteForMessage(cursor)}`);
  if (!CURSOR.test(cursor)) throw refused();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refused();
  }
  const { at, id, ...rest } = (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {}) as Record<string, unknown>;
  if (typeof at !== 'string' || typeof id !== 'string' || Object.keys(rest).length > 0 || !CREATED_AT.test(at) || !REQUEST_ID.test(id)) throw refused();
  const position = { createdAt: at, id };
  // One spelling only: what this API wrote, byte for byte.
  if (encodeListCursor(position) !== cursor) throw refused();
  return position;
}

import { SymtailError } from '../errors';

/** Why a request action was refused; its HTTP status and meaning are in `ERROR_CODES` (`lib/errors`). */
export type RequestErrorCode =
  | 'not-a-json-post'
  | 'invalid-request'
  | 'invalid-email'
  | 'unknown-caller'
  | 'not-identity-center'
  | 'identity-unavailable'
  | 'not-allowed'
  | 'self-approval'
  | 'not-an-approver'
  | 'not-the-requester'
  | 'revoke-not-allowed'
  | 'unknown-request'
  | 'already-decided'
  | 'already-approved'
  | 'past-deadline'
  | 'tampered'
  | 'approval-no-longer-valid'
  | 'break-glass-not-allowed'
  | 'not-under-review'
  | 'not-extendable'
  | 'extension-too-long';

/** A request action refused before anything was written; the message names the reason. */
export class RequestError extends SymtailError<RequestErrorCode> {}

/**
 * The runtime's record key cannot be used: not configured (a misdeployment: the function has a requests table but no
 * `SYMTAIL_RECORD_KEY`), or KMS refused or could not be reached. No request is read or written without it.
 */
export class RecordKeyError extends SymtailError<'record-key-missing' | 'record-key-unavailable'> {}

/** The store refused a write because the item changed since it was read (or already exists). */
export class StoreConflictError extends SymtailError<'store-conflict'> {
  constructor(id: string) {
    super('store-conflict', `request ${id}: changed since it was read`);
  }
}

import { SymtailError } from '../errors';

/** The HTTP statuses refusals answer with. */
export type RequestErrorStatus = 400 | 403 | 404 | 409 | 503;

/** Why a request action was refused; each code has one HTTP status (see {@link REQUEST_ERROR_STATUS}). */
export type RequestErrorCode =
  | 'invalid-request'
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

/** The HTTP status the requests API answers with for each refusal. */
export const REQUEST_ERROR_STATUS: Readonly<Record<RequestErrorCode, RequestErrorStatus>> = {
  'invalid-request': 400,
  'unknown-caller': 403,
  // A session named like Identity Center's whose role IAM does not show under Identity Center's path.
  'not-identity-center': 403,
  // Who the caller is could not be established (IAM or STS unreachable): nothing was decided, so try again.
  'identity-unavailable': 503,
  'not-allowed': 403,
  'self-approval': 403,
  'not-an-approver': 403,
  'not-the-requester': 403,
  'revoke-not-allowed': 403,
  'unknown-request': 404,
  'already-decided': 409,
  'already-approved': 409,
  'past-deadline': 409,
  // The record is not acted on: its MAC does not verify, or its approvals no longer satisfy the flow's rules.
  tampered: 409,
  'approval-no-longer-valid': 409,
  'break-glass-not-allowed': 403,
  // Reviewed already, or never a break-glass request.
  'not-under-review': 409,
  'not-extendable': 409,
  'extension-too-long': 403,
};

/** A request action refused before anything was written; the message names the reason. */
export class RequestError extends SymtailError<RequestErrorCode> {
  get httpStatus(): RequestErrorStatus {
    return REQUEST_ERROR_STATUS[this.code];
  }
}

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

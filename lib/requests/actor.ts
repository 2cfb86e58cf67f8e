import { quoteForMessage } from '../errors';
import { RequestError } from './errors';

/**
 * A verified identity: who is acting, as an authenticated edge established it. Never built from a field of an
 * event: the function URL's IAM caller ARN, or a Slack user whose request signature was checked.
 */
export type Actor =
  | { readonly kind: 'iam'; readonly arn: string; readonly email: string }
  | { readonly kind: 'slack'; readonly teamId: string; readonly userId: string; readonly email: string };

/** The runtime itself, for transitions nobody asked for: the sweep's expiries, retries and endings, auto-approval. */
export interface SystemActor {
  readonly kind: 'system';
  /** What acted: `sweep`, `flow` (a flow that needs no approval), `record-check` (a record refused before use) or
   * `on-call` (the flow's rule that approves a requester on call). */
  readonly name: 'sweep' | 'flow' | 'record-check' | 'on-call';
}

/** Whoever a transition of a request is recorded against. */
export type HistoryActor = Actor | SystemActor;

const ASCII_EMAIL = /^[\x21-\x7e]{1,128}@[\x21-\x7e]{1,253}$/;

/**
 * An email as requests compare and store it: ASCII, lower-cased. Requester and approver emails are compared
 * case-insensitively; a non-ASCII address is refused rather than folded, so two spellings can never match.
 */
export function normalizeEmail(email: string, field = 'email'): string {
  if (typeof email !== 'string' || !ASCII_EMAIL.test(email) || email.indexOf('@') !== email.lastIndexOf('@')) {
    throw new RequestError('invalid-email', `${field}: expected an ASCII email such as "alice@example.com", got ${quoteForMessage(email)}`);
  }
  return email.toLowerCase();
}

import { LoginError, quoteForMessage } from './errors';

const EXPECTED = 'a tailnet login such as "name@example.com", "name@github" or "name@passkey"';
const MAX_LENGTH = 256;

// Letters, digits and the punctuation logins use; nothing that can close a string or open a comment.
const LOGIN = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;

/** What goes wrong with a login, in the order a reader would want to hear it; undefined when it is fine. */
function loginProblem(login: string): string | undefined {
  if (login.length === 0) return 'an empty string';
  if (login.length > MAX_LENGTH) return `${login.length} characters (at most ${MAX_LENGTH})`;
  if (/[\p{Cc}\p{Cf}\p{Z}\u2028\u2029]/u.test(login)) return 'whitespace, control or formatting characters';
  if (/["'`\\]/.test(login)) return 'quotes or backslashes';
  if (/\/\/|\/\*|\*\//.test(login)) return 'a comment marker';
  const reference = /^(group|tag|autogroup):/i.exec(login);
  if (reference) return `${/^a/i.test(reference[1]) ? 'an' : 'a'} ${reference[1].toLowerCase()} reference, not a user`;
  if (login.includes('*')) return 'a wildcard';
  if (!LOGIN.test(login)) return quoteForMessage(login);
  return undefined;
}

/**
 * Returns `login` when it is a tailnet user login (`name@domain`, `name@github`, `name@passkey`); otherwise throws
 * LoginError naming `field`. Such a login cannot break out of a JSON string or a comment in the policy file.
 */
export function validateLogin(login: unknown, field = 'login'): string {
  if (typeof login !== 'string') throw new LoginError(field, EXPECTED, quoteForMessage(login));
  const problem = loginProblem(login);
  if (problem !== undefined) throw new LoginError(field, EXPECTED, problem);
  return login;
}

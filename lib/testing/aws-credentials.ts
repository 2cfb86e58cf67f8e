import { createHash } from 'node:crypto';

/** An AWS credential the STS and function-URL stand-ins know, and the identity it signs as. */
export interface StandInCredential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Set for temporary credentials (an assumed role's session): it must come with every call. */
  readonly sessionToken?: string;
  /** The caller's ARN, as STS and a function URL report it. */
  readonly arn: string;
}

const ASSUMED_ROLE = /^arn:aws[a-z-]*:sts::\d{12}:assumed-role\//;

function derived(label: string, arn: string, length: number, alphabet: 'upper' | 'base64'): string {
  const digest = createHash('sha256').update(`${label}:${arn}`).digest();
  const text = alphabet === 'upper' ? digest.toString('hex').toUpperCase() : digest.toString('base64');
  return text.slice(0, length);
}

/**
 * A credential that signs as `arn`: a session's (`ASIA…` with a session token) for an assumed role, as Identity
 * Center hands out, else a user's access key (`AKIA…`). Derived from the ARN, so it is the same in every process.
 */
export function credentialFor(arn: string): StandInCredential {
  const session = ASSUMED_ROLE.test(arn);
  return {
    accessKeyId: `${session ? 'ASIA' : 'AKIA'}${derived('key', arn, 16, 'upper')}`,
    secretAccessKey: derived('secret', arn, 40, 'base64'),
    ...(session ? { sessionToken: `IQoJb3JpZ2luX2Vj${derived('token', arn, 40, 'base64')}` } : {}),
    arn,
  };
}

/** Finds the credential of an access key, only when presented with its own session token (or none, for a user key). */
export function credentialLookup(credentials: readonly StandInCredential[]) {
  return (accessKeyId: string, sessionToken: string | undefined): StandInCredential | undefined =>
    credentials.find((c) => c.accessKeyId === accessKeyId && c.sessionToken === sessionToken);
}

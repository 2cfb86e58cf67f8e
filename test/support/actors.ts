import { Actor } from '../../lib/requests';

/** `name@example.com` as a verified requests-API caller: an Identity Center session of the function's own account. */
export function iamActor(name: string): Actor {
  return { kind: 'iam', arn: `arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Eng_0123456789abcdef/${name}@example.com`, email: `${name}@example.com` };
}

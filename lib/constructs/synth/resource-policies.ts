import { Fn } from 'cdktf';
import { IDENTITY_CENTER_ROLE_PATH } from '../../manifest';

/**
 * The partition and account of an ARN only Terraform knows (the runtime role's), as Terraform expressions: no data
 * source, so `terraform plan` still needs no AWS call.
 *   arn:aws:iam::111122223333:role/symtail-main-runtime  →  partition "aws", account "111122223333"
 */
export function arnParts(arn: string): { readonly partition: string; readonly account: string } {
  const fields = Fn.split(':', arn);
  return { partition: Fn.element(fields, 1) as string, account: Fn.element(fields, 4) as string };
}

/** The default EventBridge bus of the account and region of `regionalArn` (an ARN that names both, a log group's say). */
export function defaultEventBusArn(regionalArn: string): string {
  const fields = Fn.split(':', regionalArn);
  return `arn:${Fn.element(fields, 1)}:events:${Fn.element(fields, 3)}:${Fn.element(fields, 4)}:event-bus/default`;
}

/** The roles IAM Identity Center makes in the account of `roleArn`: the only ones the runtime may `iam:GetRole`. */
export function identityCenterRolesArn(roleArn: string): string {
  const { partition, account } = arnParts(roleArn);
  return `arn:${partition}:iam::${account}:role${IDENTITY_CENTER_ROLE_PATH}*`;
}

/** The MAC algorithm of the record key, the only one its policy lets the runtime use. */
export const RECORD_MAC_ALGORITHM = 'HMAC_SHA_256';

/** The record key's MAC operations: the runtime's alone. */
const MAC_ACTIONS = ['kms:GenerateMac', 'kms:VerifyMac'];

/**
 * The record key's policy. The account administers the key (the usual root statement, which hands the decision to
 * IAM policies) but is not given its MAC operations; only the runtime's role may generate and verify MACs, with
 * HMAC-SHA-256; and every other principal is denied them outright, so a grant (`kms:CreateGrant`) cannot hand them out
 * either. What this does not stop: a principal allowed `kms:PutKeyPolicy` on the key can replace this policy, then
 * MAC whatever it likes — keep that to the deploy role (README: the threat model's SCP).
 */
export function recordKeyPolicy(runtimeRoleArn: string): string {
  const { partition, account } = arnParts(runtimeRoleArn);
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AccountAdministersKey',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${account}:root` },
        NotAction: MAC_ACTIONS,
        Resource: '*',
      },
      {
        Sid: 'RuntimeMacsRecords',
        Effect: 'Allow',
        Principal: { AWS: runtimeRoleArn },
        Action: MAC_ACTIONS,
        Resource: '*',
        Condition: { StringEquals: { 'kms:MacAlgorithm': RECORD_MAC_ALGORITHM } },
      },
      {
        Sid: 'NobodyElseMacsRecords',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: MAC_ACTIONS,
        Resource: '*',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': runtimeRoleArn } },
      },
    ],
  });
}

/**
 * Every DynamoDB action that writes an item: the single-item writes (a transaction is authorized as these, per item),
 * the batch, and PartiQL's three.
 */
const ITEM_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
] as const;

/**
 * The requests table's resource policy: item writes by anyone but the runtime's role are denied, whatever their IAM
 * policies allow (`dynamodb:*` on `*` included), so a forged request cannot be written at all. `aws:PrincipalArn` is
 * the role's ARN for every session of the role, the Lambda function's included. Only item writes are denied: table
 * management (`UpdateTable`, `DeleteTable`, the resource policy itself) stays with IAM, so Terraform keeps managing the
 * table. What this does not stop: a principal allowed `dynamodb:PutResourcePolicy` or `DeleteResourcePolicy` on the
 * table (and the account root, which may always delete it) can lift the deny, then write — keep that to the deploy
 * role (README: the threat model's SCP); the records' MACs still refuse what it writes.
 */
export function requestsTablePolicy(tableArn: string, runtimeRoleArn: string): string {
  return onlyTheRuntime('OnlyTheRuntimeWritesRequests', ITEM_WRITE_ACTIONS, tableArn, runtimeRoleArn);
}

/**
 * The failure queue's policy: only the runtime's role may send to it (Lambda delivers a failed asynchronous
 * invocation, a sweep's or a Slack hand-off's, as the function's role). The Slack front door never sends: its hand-offs
 * fail as the runtime's invocations. Everything else (reading, deleting, moving messages) stays with IAM, so the
 * account can still read and redrive what landed there.
 */
export function failureQueuePolicy(queueArn: string, runtimeRoleArn: string): string {
  return onlyTheRuntime('OnlyTheRuntimeSendsFailures', 'sqs:SendMessage', queueArn, runtimeRoleArn);
}

/**
 * A resource policy that denies `actions` to every principal but the runtime's role. A deny in a resource policy
 * binds the resource's own account too, whatever its identity policies allow; it grants nothing, so the role still
 * needs its own allow.
 */
function onlyTheRuntime(sid: string, actions: string | readonly string[], resourceArn: string, runtimeRoleArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: sid,
        Effect: 'Deny',
        Principal: '*',
        Action: actions,
        Resource: resourceArn,
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': runtimeRoleArn } },
      },
    ],
  });
}

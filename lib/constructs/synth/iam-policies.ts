/** What the runtime's role may touch. */
export interface RuntimePolicyResources {
  /** ARNs of the secrets the manifest names. */
  readonly secretArns: readonly string[];
  /** ARN of the function's own log group (without the `:*` suffix). */
  readonly logGroupArn: string;
  /** KMS keys that encrypt those secrets; no KMS statement when empty. */
  readonly kmsKeyArns: readonly string[];
  /** ARN of the requests table. */
  readonly requestsTableArn: string;
  /** Name of the table's index of open requests. */
  readonly requestsIndexName: string;
  /** Name of the table's index of requests with state changes not yet published. */
  readonly eventsIndexName: string;
  /** ARN of the EventBridge bus request events are put on. */
  readonly eventBusArn: string;
  /** ARN of the queue Lambda sends failed asynchronous invocations to, as the function's role. */
  readonly failureQueueArn: string;
  /** ARN of the KMS HMAC key the runtime MACs request records with. */
  readonly recordKeyArn: string;
  /** The Identity Center roles the runtime may read the path of ({@link identityCenterRolesArn}); only when a principal
   * rule is an `identityCenter` rule. */
  readonly identityCenterRolesArn?: string;
}

interface Statement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Record<string, Record<string, string | readonly string[]>>;
}

/**
 * `kms:Decrypt` only as Secrets Manager asks for it, and only for these secrets: a key shared with other services
 * or secrets (as in an existing stack) then decrypts nothing else for the role.
 */
function decryptSecrets(sid: string, kmsKeyArns: readonly string[], secretArns: readonly string[]): Statement {
  return {
    Sid: sid,
    Effect: 'Allow',
    Action: 'kms:Decrypt',
    Resource: kmsKeyArns,
    Condition: {
      StringLike: { 'kms:ViaService': 'secretsmanager.*.amazonaws.com' },
      StringEquals: { 'kms:EncryptionContext:SecretARN': secretArns },
    },
  };
}

/** Only Lambda may assume the runtime's role. */
export function lambdaTrustPolicy(): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  });
}

/**
 * The runtime's only permissions: read its credentials, write its own logs, its requests and its failures, MAC its
 * records, confirm Identity Center roles, and decrypt with the given keys.
 */
export function runtimePolicy(resources: RuntimePolicyResources): string {
  const statements: Statement[] = [
    { Sid: 'ReadTailscaleCredentials', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: resources.secretArns },
    {
      Sid: 'WriteOwnLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: `${resources.logGroupArn}:*`,
    },
    // What the request store calls, on its own table: single-item reads and conditional writes, and the scan that
    // lists closed requests. Queries only on the index of open requests; no deletes, batches or transactions.
    {
      Sid: 'ReadWriteRequests',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Scan'],
      Resource: resources.requestsTableArn,
    },
    { Sid: 'SendFailedEvents', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: resources.failureQueueArn },
    {
      Sid: 'QueryOpenRequests',
      Effect: 'Allow',
      Action: 'dynamodb:Query',
      Resource: [`${resources.requestsTableArn}/index/${resources.requestsIndexName}`, `${resources.requestsTableArn}/index/${resources.eventsIndexName}`],
    },
    // Every state change of a request, on the one bus the runtime was given.
    { Sid: 'PublishRequestEvents', Effect: 'Allow', Action: 'events:PutEvents', Resource: resources.eventBusArn },
  ];
  // The MAC of each request record, made on every write and checked before every grant (the key's policy allows it too).
  statements.push({ Sid: 'MacRequestRecords', Effect: 'Allow', Action: ['kms:GenerateMac', 'kms:VerifyMac'], Resource: resources.recordKeyArn });
  // A role named like Identity Center's is one only under its path; outside it IAM answers AccessDenied, a refusal too.
  if (resources.identityCenterRolesArn !== undefined) {
    statements.push({ Sid: 'ConfirmIdentityCenterRoles', Effect: 'Allow', Action: 'iam:GetRole', Resource: resources.identityCenterRolesArn });
  }
  if (resources.kmsKeyArns.length > 0) {
    statements.push(decryptSecrets('DecryptCredentials', resources.kmsKeyArns, resources.secretArns));
  }
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/**
 * The runtime reads its own function URL's host once per container (the audience its callers' identity proofs must
 * name). A policy of its own: the function depends on the main policy, and this one names the function.
 */
export function functionUrlConfigPolicy(functionArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'ReadOwnFunctionUrl', Effect: 'Allow', Action: 'lambda:GetFunctionUrlConfig', Resource: functionArn }],
  });
}

/**
 * What a caller of the requests API needs on the function (an `AWS_IAM` function URL): `lambda:InvokeFunctionUrl` for
 * `AWS_IAM` URLs, and the `lambda:InvokeFunction` function URLs made since October 2025 also need, only through the
 * URL (`lambda:InvokedViaFunctionUrl`), so the caller cannot invoke the function directly with a made-up event.
 */
export function requestsCallerPolicy(functionArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'CallRequestsUrl',
        Effect: 'Allow',
        Action: 'lambda:InvokeFunctionUrl',
        Resource: functionArn,
        Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } },
      },
      {
        Sid: 'InvokeThroughRequestsUrl',
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: functionArn,
        Condition: { Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } },
      },
    ],
  });
}

/** What the Slack front door's role may touch. */
export interface FrontDoorPolicyResources {
  /** ARN of the Slack signing secret: the only secret it reads. */
  readonly signingSecretArn: string;
  /** ARN of the runtime function it hands requests to. */
  readonly runtimeFunctionArn: string;
  /** ARN of its own log group (without the `:*` suffix). */
  readonly logGroupArn: string;
  /** KMS keys that may encrypt the signing secret; no KMS statement when empty. */
  readonly kmsKeyArns: readonly string[];
}

/** The front door's only permissions: read the signing secret, invoke the runtime, write its own logs. No Tailscale credential. */
export function frontDoorPolicy(resources: FrontDoorPolicyResources): string {
  const statements: Statement[] = [
    { Sid: 'ReadSlackSigningSecret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: resources.signingSecretArn },
    { Sid: 'InvokeRuntime', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: resources.runtimeFunctionArn },
    { Sid: 'WriteOwnLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${resources.logGroupArn}:*` },
  ];
  if (resources.kmsKeyArns.length > 0) {
    statements.push(decryptSecrets('DecryptSigningSecret', resources.kmsKeyArns, [resources.signingSecretArn]));
  }
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

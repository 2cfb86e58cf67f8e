/** Where the local stand-ins listen: each becomes the SDK's standard `AWS_ENDPOINT_URL_<SERVICE>` variable. */
export interface LocalEndpoints {
  readonly secretsManager: string;
  readonly dynamoDb?: string;
  readonly lambda?: string;
  readonly sts?: string;
  readonly kms?: string;
  readonly iam?: string;
  readonly eventBridge?: string;
}

const VARIABLES: Readonly<Record<keyof LocalEndpoints, string>> = {
  secretsManager: 'AWS_ENDPOINT_URL_SECRETS_MANAGER',
  dynamoDb: 'AWS_ENDPOINT_URL_DYNAMODB',
  lambda: 'AWS_ENDPOINT_URL_LAMBDA',
  sts: 'AWS_ENDPOINT_URL_STS',
  kms: 'AWS_ENDPOINT_URL_KMS',
  iam: 'AWS_ENDPOINT_URL_IAM',
  eventBridge: 'AWS_ENDPOINT_URL_EVENTBRIDGE',
};

/** The environment a function needs to reach the local stand-ins through the real AWS SDK. */
export function localAwsEnvironment(endpoints: LocalEndpoints): Record<string, string> {
  const env: Record<string, string> = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'example',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  for (const [service, url] of Object.entries(endpoints) as [keyof LocalEndpoints, string | undefined][]) {
    if (url !== undefined) env[VARIABLES[service]] = url;
  }
  return env;
}

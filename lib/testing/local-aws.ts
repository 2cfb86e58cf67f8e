/** The environment a function needs to reach the local stand-ins through the real AWS SDK. */
export function localAwsEnvironment(endpoints: { secretsManager: string; dynamoDb?: string; lambda?: string }): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'example',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsManager,
    ...(endpoints.dynamoDb !== undefined && { AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoDb }),
    ...(endpoints.lambda !== undefined && { AWS_ENDPOINT_URL_LAMBDA: endpoints.lambda }),
  };
}

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

type Sdk = typeof import('@aws-sdk/client-dynamodb');

/**
 * One DynamoDB client, made on first use: the SDK (which the Lambda runtime provides, and `AWS_ENDPOINT_URL_DYNAMODB`
 * can point at a local DynamoDB) is loaded only when an invocation touches the table, and the request store and the
 * proof ledger share its connections.
 */
export class DynamoDbConnection {
  private sdk?: Sdk;

  constructor(private client?: DynamoDBClient) {}

  get(): { sdk: Sdk; client: DynamoDBClient } {
    // `require`, not `import()`: the bundle is CommonJS, and the Lambda runtime's SDK resolves through require.
    this.sdk ??= require('@aws-sdk/client-dynamodb') as Sdk;
    this.client ??= new this.sdk.DynamoDBClient({ maxAttempts: 3, requestHandler: { connectionTimeout: 2000, requestTimeout: 5000 } });
    return { sdk: this.sdk, client: this.client };
  }
}

export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string }).name === 'ConditionalCheckFailedException';
}

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LocalDynamoDb } from '../../lib/testing';

/** The local DynamoDB of a test file and a client of it: started before its tests, stopped after them. */
export function localDynamoDbForFile(): { readonly local: LocalDynamoDb; readonly client: DynamoDBClient } {
  const handle = {} as { local: LocalDynamoDb; client: DynamoDBClient };
  beforeAll(async () => {
    handle.local = await LocalDynamoDb.start();
    handle.client = new DynamoDBClient({ endpoint: handle.local.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => {
    handle.client.destroy();
    await handle.local.stop();
  });
  return handle;
}

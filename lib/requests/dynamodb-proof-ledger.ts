import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbConnection, isConditionFailure } from './dynamodb-connection';
import { PROOF_KEY_PREFIX } from './identity-proof';
import { ProofLedger } from './proof-ledger';
import { REQUESTS_TABLE as T } from './table-layout';

/**
 * Used proofs in the requests table: one item `proof#<sha256 hex of the signature>` each, written with a conditional
 * PutItem (so of two uses at once exactly one succeeds), and removed by the table's TTL (`expiresAt`).
 */
export class DynamoDbProofLedger implements ProofLedger {
  private readonly connection: DynamoDbConnection;

  constructor(
    readonly tableName: string,
    client?: DynamoDBClient | DynamoDbConnection,
  ) {
    this.connection = client instanceof DynamoDbConnection ? client : new DynamoDbConnection(client);
  }

  async useOnce(signatureSha256: string, forgetAfter: Date): Promise<boolean> {
    const { sdk, client } = this.connection.get();
    try {
      await client.send(
        new sdk.PutItemCommand({
          TableName: this.tableName,
          Item: { [T.key]: { S: `${PROOF_KEY_PREFIX}${signatureSha256}` }, [T.ttl]: { N: String(Math.ceil(forgetAfter.getTime() / 1000)) } },
          ConditionExpression: 'attribute_not_exists(#id)',
          ExpressionAttributeNames: { '#id': T.key },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * Just enough of the Secrets Manager JSON protocol (`x-amz-target: secretsmanager.GetSecretValue`) for the real
 * AWS SDK, pointed here with AWS_ENDPOINT_URL_SECRETS_MANAGER, to read secrets over loopback. A secret whose value is
 * `null` exists without a value yet (created, never `put-secret-value`), and is answered as Secrets Manager answers it.
 */
export class FakeSecretsManager {
  readonly reads: string[] = [];
  /** The region each read was signed for (SigV4's credential scope): the region of the client that asked. */
  readonly regions: string[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly secrets: Map<string, string | null>,
  ) {}

  /**
   * @param hang accept every request and never answer it, as a hung endpoint would.
   */
  static async start(secrets: Record<string, string | null>, hang = false): Promise<FakeSecretsManager> {
    const values = new Map(Object.entries(secrets));
    let fake: FakeSecretsManager | undefined;
    const server = createServer((req, res) => {
      if (hang) return;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const target = req.headers['x-amz-target'];
        const { SecretId } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { SecretId?: string };
        res.setHeader('content-type', 'application/x-amz-json-1.1');
        const value = SecretId === undefined ? undefined : values.get(SecretId);
        if (target !== 'secretsmanager.GetSecretValue' || value === undefined) {
          res.statusCode = 400;
          res.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." }));
          return;
        }
        if (value === null) {
          res.statusCode = 400;
          res.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT" }));
          return;
        }
        fake!.reads.push(SecretId!);
        fake!.regions.push(/Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(req.headers.authorization))?.[1] ?? '');
        res.end(JSON.stringify({ ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${SecretId}-AbCdEf`, Name: SecretId, SecretString: value, VersionId: 'v1' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake = new FakeSecretsManager(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, values);
    return fake;
  }

  /** Puts a new value, as `put-secret-value` does; `null` makes the secret one without a value. */
  setValue(secretId: string, value: string | null): void {
    this.secrets.set(secretId, value);
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * What Secrets Manager answers `GetSecretValue` (HTTP 400, AWS JSON 1.1) for a secret that does not exist, and for one
 * that exists with no value yet (no version labelled `AWSCURRENT`: created, never `put-secret-value`d), as AWS words
 * them (the second as in the AWS SDK for JavaScript's issue 7701, AWS's own answer for the `AWSPENDING` label, and in
 * moto's server tests for a secret created without a value).
 */
export const SECRETS_MANAGER_ERRORS = {
  notFound: { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." },
  noCurrentValue: { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT" },
} as const;

/**
 * Just enough of the Secrets Manager JSON protocol (`x-amz-target: secretsmanager.GetSecretValue`) for the real
 * AWS SDK, pointed here with AWS_ENDPOINT_URL_SECRETS_MANAGER, to read secrets over loopback.
 */
export class FakeSecretsManager {
  readonly reads: string[] = [];
  /** The region each read was signed for (SigV4's credential scope): the region of the client that asked. */
  readonly regions: string[] = [];
  /** What it holds: the record `start` was given, which `setValue` changes. */
  private secrets: Record<string, string | null> = {};
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /**
   * @param secrets each secret's value; `null` for a secret created without one, which is answered as Secrets Manager
   *   answers it ({@link SECRETS_MANAGER_ERRORS}`.noCurrentValue`).
   * @param hang accept every request and never answer it, as a hung endpoint would.
   */
  static async start(secrets: Record<string, string | null>, hang = false): Promise<FakeSecretsManager> {
    let fake: FakeSecretsManager | undefined;
    const server = createServer((req, res) => {
      if (hang) return;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const target = req.headers['x-amz-target'];
        const { SecretId } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { SecretId?: string };
        res.setHeader('content-type', 'application/x-amz-json-1.1');
        const value = target === 'secretsmanager.GetSecretValue' && SecretId !== undefined && Object.hasOwn(secrets, SecretId) ? secrets[SecretId] : undefined;
        if (value === undefined || value === null) {
          res.statusCode = 400;
          res.end(JSON.stringify(value === null ? SECRETS_MANAGER_ERRORS.noCurrentValue : SECRETS_MANAGER_ERRORS.notFound));
          return;
        }
        fake!.reads.push(SecretId!);
        fake!.regions.push(/Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(req.headers.authorization))?.[1] ?? '');
        res.end(
          JSON.stringify({
            ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${SecretId}-AbCdEf`,
            Name: SecretId,
            SecretString: value,
            VersionId: 'v1',
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake = new FakeSecretsManager(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    fake.secrets = secrets;
    return fake;
  }

  /** Puts a new value, as `put-secret-value` does (in the record given to `start`); `null` makes the secret one created without a value. */
  setValue(secretId: string, value: string | null): void {
    this.secrets[secretId] = value;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

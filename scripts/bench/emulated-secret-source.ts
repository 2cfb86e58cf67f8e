import { SecretSource } from '../../lib/runtime/credentials';

/**
 * Secrets Manager as the benchmark sees it: one round trip of the emulated latency per read, counted, so a
 * cold escalation pays for fetching its credential as it would in a fresh Lambda container.
 */
export class EmulatedSecretSource implements SecretSource {
  reads = 0;

  constructor(
    private readonly secrets: Readonly<Record<string, string>>,
    private readonly latencyMs: number,
  ) {}

  async getSecretString(secretId: string): Promise<string> {
    this.reads++;
    await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const value = this.secrets[secretId];
    if (value === undefined) throw new Error(`secret ${secretId}: not found`);
    return value;
  }
}

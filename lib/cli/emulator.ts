import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { EMULATOR_API_KEY, TailnetEmulator, TailnetInventoryFixture } from '../testing';
import { EXIT_OK, defineCommand } from './command';
import { BadInputError, UsageError } from './errors';
import { flag, TAILNET } from './flags';

function wholeNumber(value: string | undefined, flag: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > max) throw new UsageError(`--${flag}: expected a whole number from 0 to ${max}, got ${JSON.stringify(value)}`);
  return Number(value);
}

function readInput(file: string, flag: string, cwd: string): string {
  try {
    return readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (e) {
    throw new BadInputError(`${flag} ${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export const emulatorCommand = defineCommand({
  name: 'emulator',
  summary: 'run the local tailnet API emulator',
  description: `Runs the local tailnet API emulator (GET/POST /api/v2/tailnet/{tailnet}/acl, /acl/validate, /oauth/token, and
GET /devices, /keys, /settings, /users from --inventory) until interrupted. Point the live commands at it with --api-url.`,
  flags: {
    port: flag.string({ value: 'P', help: 'the port (default 0: any free port; the URL is printed)' }),
    host: flag.string({
      value: 'H',
      help: 'the loopback address to listen on (default 127.0.0.1)',
      accepts: { pattern: '^(127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|::1|localhost)$', expected: 'a loopback address such as 127.0.0.1' },
    }),
    policy: flag.string({ value: 'F', help: "the initial policy file (default: a new tailnet's policy)" }),
    inventory: flag.string({ value: 'F', help: 'a JSON file of the devices, keys, settings and users it serves (default: none)' }),
    tailnet: flag.list({ value: 'T', help: 'a tailnet name it answers for besides "-" (repeatable; default example.com)', accepts: TAILNET }),
    'api-key': flag.list({ value: 'K', help: `an API key it accepts (repeatable; default ${EMULATOR_API_KEY})` }),
    'latency-ms': flag.string({ value: 'N', help: 'a delay added to every request' }),
    verbatim: flag.boolean({ help: 'keep policy files byte for byte instead of formatting them on save as Tailscale does' }),
  },
  async run(f, io) {
    const port = wholeNumber(f.port, 'port', 65535);
    const latencyMs = wholeNumber(f['latency-ms'], 'latency-ms', 600_000);
    const policy = f.policy === undefined ? undefined : readInput(f.policy, '--policy', io.cwd);
    let inventory: TailnetInventoryFixture | undefined;
    if (f.inventory !== undefined) {
      try {
        inventory = JSON.parse(readInput(f.inventory, '--inventory', io.cwd)) as TailnetInventoryFixture;
      } catch (e) {
        if (e instanceof BadInputError) throw e;
        throw new BadInputError(`--inventory ${f.inventory}: not JSON (${(e as Error).message})`);
      }
    }
    let emulator: TailnetEmulator;
    try {
      emulator = await TailnetEmulator.start({
        ...(port === undefined ? {} : { port }),
        ...(f.host === undefined ? {} : { host: f.host }),
        ...(policy === undefined ? {} : { policy }),
        ...(inventory === undefined ? {} : { inventory }),
        ...(f.tailnet.length > 0 ? { tailnets: f.tailnet } : {}),
        ...(f['api-key'].length > 0 ? { apiKeys: f['api-key'] } : {}),
        ...(latencyMs === undefined ? {} : { latencyMs }),
        storage: f.verbatim ? 'verbatim' : 'canonical',
      });
    } catch (e) {
      throw new BadInputError((e as Error).message);
    }
    io.stdout.write(`tailnet emulator listening on ${emulator.url}\n`);
    if (f['api-key'].length === 0) {
      io.stderr.write(`try: TAILSCALE_API_KEY=${EMULATOR_API_KEY} symtail grants --tailnet - --api-url ${emulator.url}\n`);
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await emulator.stop();
    io.stderr.write('tailnet emulator stopped\n');
    return EXIT_OK;
  },
});

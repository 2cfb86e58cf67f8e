import { SymtailError } from '../errors';

/**
 * The packages the constructs load, by the specifiers they load them with. The build rewrites these, like every
 * other cdktf specifier, for `symtail/cdktn` (scripts/build-cdktn.js), so each entry checks its own family: this
 * module names no package in any other way.
 */
const PEERS: readonly (() => string)[] = [
  () => require.resolve('cdktf'),
  () => require.resolve('@cdktf/provider-aws/lib/provider'),
  () => require.resolve('constructs'),
];

/** `@cdktf/provider-aws/lib/provider` → `@cdktf/provider-aws`. */
function packageName(specifier: string): string {
  return specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
}

/** The package a peer's specifier names, when Node cannot find it. */
function missingPackage(resolve: () => string): string | undefined {
  try {
    resolve();
    return undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
    // Node's first line names the request: "Cannot find module '@cdktf/provider-aws/lib/provider'", then a
    // require stack of several lines, which is what this check replaces with one line.
    const firstLine = (e as Error).message.split('\n')[0];
    return packageName(/'([^']+)'/.exec(firstLine)?.[1] ?? firstLine);
  }
}

/**
 * Fails the import with one line naming what to install when the entry's peers are missing, rather than Node's
 * "Cannot find module" with its require stack from deep inside a construct. cdktf and cdktn are both optional peers,
 * so a project holds one family and imports that family's entry.
 */
function requirePeers(): void {
  const missing = PEERS.map(missingPackage).filter((name): name is string => name !== undefined);
  if (missing.length === 0) return;
  const names = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}`;
  throw new SymtailError(
    'peer-dependency-missing',
    `symtail needs ${names}, which ${missing.length === 1 ? 'is' : 'are'} not installed: npm install ${missing.join(' ')} (import symtail with cdktf, symtail/cdktn with cdktn)`,
  );
}

requirePeers();

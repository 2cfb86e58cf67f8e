import { validateGroupName } from '../policy';
import { UsageError } from './errors';

/** `string`: one value; `boolean`: present or not; `list`: may repeat. */
export type FlagKind = 'string' | 'boolean' | 'list';
export type FlagSpec = Readonly<Record<string, FlagKind>>;

type FlagValue<K extends FlagKind> = K extends 'string' ? string | undefined : K extends 'boolean' ? boolean : string[];
export type Flags<S extends FlagSpec> = { -readonly [N in keyof S]: FlagValue<S[N]> };

/**
 * Strict `--name value` / `--name=value` parsing: an unknown flag, a missing value, a value given to a boolean,
 * a single-valued flag given twice, or a bare argument is a UsageError naming it. `-h` is `--help`.
 */
export function parseFlags<S extends FlagSpec>(args: readonly string[], spec: S): Flags<S> {
  const flags: Record<string, string | boolean | string[] | undefined> = {};
  for (const [name, kind] of Object.entries(spec)) flags[name] = kind === 'boolean' ? false : kind === 'list' ? [] : undefined;
  const seen = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] === '-h' ? '--help' : args[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const kind = Object.prototype.hasOwnProperty.call(spec, name) ? spec[name] : undefined;
    if (kind === undefined) throw new UsageError(`unknown flag --${name}`);
    if (kind !== 'list' && seen.has(name)) throw new UsageError(`--${name}: given more than once`);
    seen.add(name);
    if (kind === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name}: takes no value`);
      flags[name] = true;
      continue;
    }
    let value: string;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else {
      if (i + 1 >= args.length || args[i + 1].startsWith('--')) throw new UsageError(`--${name}: expected a value`);
      value = args[++i];
    }
    if (kind === 'list') (flags[name] as string[]).push(value);
    else flags[name] = value;
  }
  return flags as Flags<S>;
}

/** The value of a flag that must be given. */
export function required(value: string | undefined, flag: string): string {
  if (value === undefined) throw new UsageError(`--${flag}: required`);
  return value;
}

/** `prod` or `group:prod`, as a bare group name. */
export function groupFlag(value: string, flag: string): string {
  return validateGroupName(value.startsWith('group:') ? value.slice('group:'.length) : value, flag);
}

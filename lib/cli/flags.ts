import { validateGroupName } from '../policy';
import { UsageError } from './errors';

/**
 * One flag of a command, oclif-style: what it takes and its help line. A command's `--help` and its synopsis
 * (in `symtail help`, and in the README) are rendered from these, so they cannot drift.
 */
export type Flag = StringFlag<boolean> | ListFlag | BooleanFlag;

/** `--name VALUE`, given at most once. */
export interface StringFlag<R extends boolean> {
  readonly kind: 'string';
  /** The placeholder for the value in usage, e.g. `F` in `--file F`. */
  readonly value: string;
  readonly help: string;
  /** The command refuses to run without it. */
  readonly required: R;
  /** Exactly one of the flags sharing this name must be given; shown as `(--for D | --until ISO)`. */
  readonly exactlyOneOf?: string;
}

/** `--name VALUE`, repeatable. */
export interface ListFlag {
  readonly kind: 'list';
  readonly value: string;
  readonly help: string;
}

/** `--name`, present or not. */
export interface BooleanFlag {
  readonly kind: 'boolean';
  readonly help: string;
}

/** A command's flags, in the order usage shows them. */
export type FlagTable = Readonly<Record<string, Flag>>;

type FlagValue<F extends Flag> = F extends StringFlag<true> ? string : F extends StringFlag<boolean> ? string | undefined : F extends ListFlag ? string[] : boolean;
export type Flags<T extends FlagTable> = { -readonly [N in keyof T]: FlagValue<T[N]> };

interface StringFlagDef {
  readonly value: string;
  readonly help: string;
  readonly required?: boolean;
  readonly exactlyOneOf?: string;
}

function stringFlag(def: StringFlagDef & { required: true }): StringFlag<true>;
function stringFlag(def: StringFlagDef & { required?: false }): StringFlag<false>;
function stringFlag(def: StringFlagDef): StringFlag<boolean> {
  return { kind: 'string', value: def.value, help: def.help, required: def.required ?? false, ...(def.exactlyOneOf === undefined ? {} : { exactlyOneOf: def.exactlyOneOf }) };
}

/** The flag constructors: `flag.string({ value: 'F', help: 'the policy file', required: true })`. */
export const flag = {
  string: stringFlag,
  list(def: { value: string; help: string }): ListFlag {
    return { kind: 'list', ...def };
  },
  boolean(def: { help: string }): BooleanFlag {
    return { kind: 'boolean', ...def };
  },
};

/** `--group G`: one group, as `prod` or `group:prod` (read with {@link groupFlag}). */
export const GROUP_FLAG = flag.string({ value: 'G', help: 'the group, "prod" or "group:prod"', required: true });

/** `-h` or `--help` anywhere in the arguments. */
export function wantsHelp(args: readonly string[]): boolean {
  return args.some((a) => a === '--help' || a === '-h');
}

/**
 * Strict `--name value` / `--name=value` parsing against the table: an unknown flag, a missing value, a value
 * given to a boolean, a single-valued flag given twice, a bare argument, a missing required flag, or not exactly
 * one of an `exactlyOneOf` set is a UsageError naming it.
 */
export function parseFlags<T extends FlagTable>(args: readonly string[], table: T): Flags<T> {
  const flags: Record<string, string | boolean | string[] | undefined> = {};
  for (const [name, def] of Object.entries(table)) flags[name] = def.kind === 'boolean' ? false : def.kind === 'list' ? [] : undefined;
  const seen = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const def = Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
    if (def === undefined) throw new UsageError(`unknown flag --${name}`);
    if (def.kind !== 'list' && seen.has(name)) throw new UsageError(`--${name}: given more than once`);
    seen.add(name);
    if (def.kind === 'boolean') {
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
    if (def.kind === 'list') (flags[name] as string[]).push(value);
    else flags[name] = value;
  }
  const sets = new Map<string, string[]>();
  for (const [name, def] of Object.entries(table)) {
    if (def.kind !== 'string') continue;
    if (def.required && flags[name] === undefined) throw new UsageError(`--${name}: required`);
    if (def.exactlyOneOf !== undefined) sets.set(def.exactlyOneOf, [...(sets.get(def.exactlyOneOf) ?? []), name]);
  }
  for (const names of sets.values()) {
    if (names.filter((n) => flags[n] !== undefined).length !== 1) {
      throw new UsageError(`expected exactly one of ${names.slice(0, -1).map((n) => `--${n}`).join(', ')} and --${names[names.length - 1]}`);
    }
  }
  return flags as Flags<T>;
}

/** The value of a flag that only some uses of a command need. */
export function required(value: string | undefined, flag: string): string {
  if (value === undefined) throw new UsageError(`--${flag}: required`);
  return value;
}

/** `prod` or `group:prod`, as a bare group name. */
export function groupFlag(value: string, flag: string): string {
  return validateGroupName(value.startsWith('group:') ? value.slice('group:'.length) : value, flag);
}

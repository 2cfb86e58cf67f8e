import { quoteForMessage } from '../errors';
import { TAILNET_PATTERN } from '../manifest';
import { validateGroupName } from '../policy';
import { MAX_REASON_LENGTH } from '../runtime';
import { UsageError } from './errors';

/**
 * One flag of a command, oclif-style: what it takes and its help line. A command's `--help` and its synopsis
 * (in `symtail help`, and in the README) are rendered from these, so they cannot drift.
 */
export type Flag = StringFlag<boolean> | ListFlag | BooleanFlag;

/**
 * Flags of which a command takes exactly one, or at most one, declared together with {@link exactlyOneOf} or
 * {@link atMostOneOf}: usage shows them as `(--for D | --until ISO)` and `[--json | --csv]`, and {@link parseFlags}
 * refuses any other combination, naming the set.
 */
export interface FlagChoice {
  readonly rule: 'exactly one' | 'at most one';
  /** The flags of the set, in the order usage shows them. */
  readonly names: readonly string[];
}

/** `--name VALUE`, given at most once. */
export interface StringFlag<R extends boolean> {
  readonly kind: 'string';
  /** The placeholder for the value in usage, e.g. `F` in `--file F`. */
  readonly value: string;
  readonly help: string;
  /** The command refuses to run without it. */
  readonly required: R;
  /** The only values it takes, when they are few: anything else is refused, naming them. */
  readonly options?: readonly string[];
  /** What its value must look like: anything else is refused before the command runs. */
  readonly accepts?: ValueRule;
  readonly choice?: FlagChoice;
}

/** A pattern a value must match, and what to call such a value in an error: `--id: expected a request id ..., got "x"`. */
export interface ValueRule {
  readonly pattern: string;
  readonly expected: string;
}

/** A tailnet, as the Tailscale API names one: `-` (the credential's own) or its name. */
export const TAILNET: ValueRule = { pattern: TAILNET_PATTERN, expected: '"-" or a tailnet name (letters, digits, ".", "_", "@", "+", "-")' };

/** A reason or a note, as long as the runtime keeps one. */
export const REASON_TEXT: ValueRule = { pattern: `^[\\s\\S]{0,${MAX_REASON_LENGTH}}$`, expected: `at most ${MAX_REASON_LENGTH} characters` };

/** An AWS region, e.g. `eu-west-1`, `us-gov-west-1`. */
export const AWS_REGION: ValueRule = { pattern: '^[a-z]{2}(-[a-z]+)+-\\d{1,2}$', expected: 'an AWS region such as "eu-west-1"' };

/** `--name VALUE`, repeatable. */
export interface ListFlag {
  readonly kind: 'list';
  readonly value: string;
  readonly help: string;
  /** What each value must look like. */
  readonly accepts?: ValueRule;
}

/** `--name`, present or not. */
export interface BooleanFlag {
  readonly kind: 'boolean';
  readonly help: string;
  readonly choice?: FlagChoice;
}

/** A command's flags, in the order usage shows them. */
export type FlagTable = Readonly<Record<string, Flag>>;

type FlagValue<F extends Flag> =
  F extends StringFlag<true> ? string : F extends StringFlag<boolean> ? string | undefined : F extends ListFlag ? string[] : boolean;
export type Flags<T extends FlagTable> = { -readonly [N in keyof T]: FlagValue<T[N]> };

interface StringFlagDef {
  readonly value: string;
  readonly help: string;
  readonly required?: boolean;
  readonly options?: readonly string[];
  readonly accepts?: ValueRule;
}

function stringFlag(def: StringFlagDef & { required: true }): StringFlag<true>;
function stringFlag(def: StringFlagDef & { required?: false }): StringFlag<false>;
function stringFlag(def: StringFlagDef): StringFlag<boolean> {
  const { value, help, required = false, options, accepts } = def;
  return { kind: 'string', value, help, required, ...(options === undefined ? {} : { options }), ...(accepts === undefined ? {} : { accepts }) };
}

/** The flag constructors: `flag.string({ value: 'F', help: 'the policy file', required: true })`. */
export const flag = {
  string: stringFlag,
  list(def: { value: string; help: string; accepts?: ValueRule }): ListFlag {
    return { kind: 'list', ...def };
  },
  boolean(def: { help: string }): BooleanFlag {
    return { kind: 'boolean', ...def };
  },
};

/** A flag that may join a choice set: a required or repeatable flag cannot. */
type ChoosableFlag = StringFlag<false> | BooleanFlag;

function choiceOf<T extends Readonly<Record<string, ChoosableFlag>>>(rule: FlagChoice['rule'], flags: T): T {
  const choice: FlagChoice = { rule, names: Object.keys(flags) };
  return Object.fromEntries(Object.entries(flags).map(([name, f]) => [name, { ...f, choice }])) as unknown as T;
}

/** Flags of which the command takes exactly one: `...exactlyOneOf({ for: ..., until: ... })`, shown `(--for D | --until ISO)`. */
export function exactlyOneOf<T extends Readonly<Record<string, ChoosableFlag>>>(flags: T): T {
  return choiceOf('exactly one', flags);
}

/** Flags of which the command takes at most one: `...atMostOneOf({ json: ..., csv: ... })`, shown `[--json | --csv]`. */
export function atMostOneOf<T extends Readonly<Record<string, ChoosableFlag>>>(flags: T): T {
  return choiceOf('at most one', flags);
}

const FLAG_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Refuses a flag table that cannot be parsed or shown as written: a bad flag name, or a choice set whose flags are
 * not all in the table (a set taken apart by picking some of its flags) or that has fewer than two.
 */
export function checkFlagTable(table: FlagTable): void {
  for (const [name, f] of Object.entries(table)) {
    if (!FLAG_NAME.test(name)) throw new Error(`flag --${name}: expected a lower-case name such as --dry-run`);
    if (f.kind === 'list' || f.choice === undefined) continue;
    const { names } = f.choice;
    if (names.length < 2) throw new Error(`flag --${name}: a choice set needs two flags or more`);
    const missing = names.filter((n) => (table[n] as ChoosableFlag | undefined)?.choice !== f.choice);
    if (missing.length > 0) throw new Error(`flag --${name}: its choice set also needs ${listOfFlags(missing)} in the table`);
  }
}

/** `a`, `a and b`, `a, b and c` (or `a, b or c`). */
function listOf(items: readonly string[], conjunction: 'and' | 'or'): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** `--a`, `--a and --b`, `--a, --b and --c`. */
function listOfFlags(names: readonly string[]): string {
  return listOf(
    names.map((n) => `--${n}`),
    'and',
  );
}

/** `--group G`: one group, as `prod` or `group:prod` (read with {@link groupFlag}). */
export const GROUP_FLAG = flag.string({ value: 'G', help: 'the group, "prod" or "group:prod"', required: true });

/** `-h` or `--help` anywhere in the arguments. */
export function wantsHelp(args: readonly string[]): boolean {
  return args.some((a) => a === '--help' || a === '-h');
}

type ParsedValue = string | boolean | string[] | undefined;

/**
 * Strict `--name value` / `--name=value` parsing against the table: an unknown flag, a missing value, a value
 * given to a boolean, a value not among a flag's options or not matching its rule, a single-valued flag given twice,
 * a bare argument, a missing required flag, or a combination a choice set refuses is a UsageError naming the flag or
 * the set.
 */
export function parseFlags<T extends FlagTable>(args: readonly string[], table: T): Flags<T> {
  const flags: Record<string, ParsedValue> = {};
  for (const [name, def] of Object.entries(table)) flags[name] = def.kind === 'boolean' ? false : def.kind === 'list' ? [] : undefined;
  const seen = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}: expected a flag (--name value)`);
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
      if (i + 1 >= args.length || args[i + 1].startsWith('--')) throw new UsageError(`--${name}: expected a value ${def.value} (${def.help})`);
      value = args[++i];
    }
    if (def.kind === 'string' && def.options !== undefined && !def.options.includes(value)) {
      throw new UsageError(`--${name}: expected ${listOf(def.options, 'or')}, got ${quoteForMessage(value)}`);
    }
    if (def.accepts !== undefined && !new RegExp(def.accepts.pattern).test(value)) {
      throw new UsageError(`--${name}: expected ${def.accepts.expected}, got ${quoteForMessage(value)}`);
    }
    if (def.kind === 'list') (flags[name] as string[]).push(value);
    else flags[name] = value;
  }
  for (const [name, def] of Object.entries(table)) {
    if (def.kind === 'string' && def.required && flags[name] === undefined) throw new UsageError(`--${name}: required`);
  }
  for (const choice of new Set(Object.values(table).map((def) => (def.kind === 'list' ? undefined : def.choice)))) {
    if (choice !== undefined) checkChoice(choice, flags);
  }
  return flags as Flags<T>;
}

/** `expected exactly one of --for and --until, got neither`; `expected at most one of --json and --csv, got both`. */
function checkChoice({ rule, names }: FlagChoice, flags: Readonly<Record<string, ParsedValue>>): void {
  const given = names.filter((n) => flags[n] !== undefined && flags[n] !== false);
  if (given.length === 1 || (given.length === 0 && rule === 'at most one')) return;
  const got = given.length === 0 ? (names.length === 2 ? 'neither' : 'none') : given.length === 2 && names.length === 2 ? 'both' : listOfFlags(given);
  throw new UsageError(`expected ${rule} of ${listOfFlags(names)}, got ${got}`);
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

import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { TextRule } from './text-rules';
import { SymtailError } from '../errors';

/**
 * Props that cannot work, found while the app is built (before anything is deployed).
 * Each problem reads `[construct path] prop: what was expected, what was given`.
 */
export class SymValidationError extends SymtailError<'invalid-construct'> {
  constructor(readonly problems: readonly string[]) {
    super('invalid-construct', problems.join('\n'));
  }
}

/** One problem, in the shape every symtail construct reports them. */
export function problemAt(scope: IConstruct, prop: string, message: string): string {
  return `[${scope.node.path}] ${prop}: ${message}`;
}

/** Tailscale API keys, OAuth client secrets and auth keys all start so. */
const TAILSCALE_SECRET = /tskey-/i;
/** Slack bot, user, app and refresh tokens. */
const SLACK_TOKEN = /xox[abpre]-/i;

/** A short, quoted rendering of a given value for an error message; a misplaced Tailscale secret is never shown. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string' && TAILSCALE_SECRET.test(value)) return 'a value that looks like a Tailscale secret (not shown)';
  if (typeof value === 'string' && SLACK_TOKEN.test(value)) return 'a value that looks like a Slack token (not shown)';
  let text: string;
  try {
    text = JSON.stringify(value) ?? typeof value;
  } catch {
    // Constructs and other cyclic objects: their class says enough.
    text = `a ${(value as object).constructor?.name ?? typeof value}`;
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Collects every problem in one construct's props, so the caller sees all of them in one error.
 * The checks return the checked value, or undefined after recording why it was refused.
 */
export class PropProblems {
  private readonly found: string[] = [];

  constructor(private readonly scope: IConstruct) {}

  add(prop: string, message: string): void {
    this.found.push(problemAt(this.scope, prop, message));
  }

  /** Throws a {@link SymValidationError} listing every problem recorded, if any. */
  throwIfAny(): void {
    if (this.found.length > 0) throw new SymValidationError(this.found);
  }

  /** A string known at synth (it ends up in the manifest or a resource name) that follows `rule`. */
  literal(prop: string, value: unknown, rule: TextRule): string | undefined {
    if (typeof value === 'string' && Token.isUnresolved(value)) {
      this.add(prop, `expected ${rule.expected} known at synth, got a Terraform reference`);
      return undefined;
    }
    if (typeof value !== 'string' || !rule.pattern.test(value)) {
      this.add(prop, `expected ${rule.expected}, got ${describeValue(value)}`);
      return undefined;
    }
    return value;
  }

  /** A string that may be a Terraform reference: it only feeds a resource attribute, never the manifest. */
  literalOrReference(prop: string, value: unknown, rule: TextRule): string | undefined {
    if (typeof value === 'string' && Token.isUnresolved(value)) return value;
    return this.literal(prop, value, rule);
  }

  /** One of `allowed`; `fallback` when absent. */
  choice<T extends string>(prop: string, value: unknown, allowed: readonly T[], fallback: T): T {
    if (value === undefined) return fallback;
    if (!allowed.includes(value as T)) {
      this.add(prop, `expected ${allowed.map((a) => JSON.stringify(a)).join(' or ')}, got ${describeValue(value)}`);
      return fallback;
    }
    return value as T;
  }

  boolean(prop: string, value: unknown, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') this.add(prop, `expected true or false, got ${describeValue(value)}`);
    return value === true;
  }

  /** A whole number in `[min, max]`, one of `allowed` when given. */
  integer(prop: string, value: unknown, fallback: number, range: { min: number; max: number; allowed?: readonly number[] }): number {
    if (value === undefined) return fallback;
    const inRange = Number.isInteger(value) && (value as number) >= range.min && (value as number) <= range.max;
    if (!inRange || (range.allowed && !range.allowed.includes(value as number))) {
      const expected = range.allowed ? `one of ${range.allowed.join(', ')}` : `a whole number from ${range.min} to ${range.max}`;
      this.add(prop, `expected ${expected}, got ${describeValue(value)}`);
      return fallback;
    }
    return value as number;
  }

  /** An array of `T`; `[]` when absent. */
  array<T>(prop: string, value: readonly T[] | undefined, nonEmpty = false): readonly T[] {
    if (value === undefined && !nonEmpty) return [];
    if (!Array.isArray(value) || (nonEmpty && value.length === 0)) {
      this.add(prop, `expected ${nonEmpty ? 'a non-empty' : 'an'} array, got ${describeValue(value)}`);
      return [];
    }
    return value;
  }
}

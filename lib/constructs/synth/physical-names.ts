import { createHash } from 'node:crypto';

/** Longest Lambda function, IAM role and EventBridge rule name. */
export const MAX_PHYSICAL_NAME = 64;
const UNSAFE = /[^A-Za-z0-9_-]/g;

/**
 * `text` as a name Lambda, IAM and EventBridge all accept. When it had to be changed (characters replaced, or
 * shortened to 64) a hash of the original is appended, so different texts keep different names.
 */
export function physicalName(text: string): string {
  const safe = text.replace(UNSAFE, '-');
  if (safe === text && text.length <= MAX_PHYSICAL_NAME) return text;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 8);
  return `${safe.slice(0, MAX_PHYSICAL_NAME - hash.length - 1)}-${hash}`;
}

/** The AWS names of one runtime's resources. */
export interface RuntimeNames {
  readonly functionName: string;
  /** IAM role names are per account and Lambda names per region: the function name fits both. */
  readonly roleName: string;
  /** Where Lambda writes the function's logs. */
  readonly logGroupName: string;
  readonly sweepRuleName: string;
  /** The DynamoDB table of requests (names are per account and region). */
  readonly requestsTableName: string;
}

/** Names from the environment and construct id (`symtail-<environment>-<id>`), or from an explicit function name. */
export function runtimeNames(environment: string, constructId: string, functionName?: string): RuntimeNames {
  const name = functionName ?? physicalName(`symtail-${environment}-${constructId}`);
  return {
    functionName: name,
    roleName: name,
    logGroupName: `/aws/lambda/${name}`,
    sweepRuleName: physicalName(`${name}-sweep`),
    requestsTableName: `${name}-requests`,
  };
}

import { PolicyShapeError, readAccessPolicy } from '../access';
import { parseHujson, standardize } from '../hujson';
import { evaluateTests, TestFailure } from './acl-tests';
import { groupProblems } from './group-rules';

export type PolicyVerdict = { ok: true; value: Record<string, unknown> } | { ok: false; message: string; data?: TestFailure[] };

/** What the API decides about a policy file: strict HuJSON, group rules, the access sections' shape, then `tests`. */
export function checkPolicy(text: string): PolicyVerdict {
  try {
    parseHujson(text);
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  const value: unknown = JSON.parse(standardize(text));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'policy: expected a JSON object at the top level' };
  }
  const policy = value as Record<string, unknown>;
  const groups = groupProblems(policy);
  if (groups.length > 0) return { ok: false, message: groups.join('\n') };
  let failures: TestFailure[];
  try {
    failures = evaluateTests(readAccessPolicy(text));
  } catch (error) {
    if (error instanceof PolicyShapeError) return { ok: false, message: error.message };
    throw error;
  }
  if (failures.length > 0) return { ok: false, message: 'test(s) failed', data: failures };
  return { ok: true, value: policy };
}

/** The comment-free JSON form served for `Accept: application/json`. */
export function policyAsJson(text: string): string {
  return `${JSON.stringify(JSON.parse(standardize(text)), null, '  ')}\n`;
}

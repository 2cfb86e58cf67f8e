import { IConstruct } from 'constructs';
import { RuntimeNames } from './physical-names';

export interface NamedRuntime extends IConstruct {
  readonly names: RuntimeNames;
}

/**
 * Problems of `runtime` whose AWS names another runtime of the stack also uses. Compared without case, since
 * IAM role names are case-insensitive.
 */
export function nameClashes(runtime: NamedRuntime, others: readonly NamedRuntime[]): string[] {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  return others
    .filter((other) => other !== runtime)
    .flatMap((other) => {
      if (same(other.names.functionName, runtime.names.functionName)) {
        return [
          `functionName: "${runtime.names.functionName}" (the function, role and log group name) is also used by runtime ` +
            `${other.node.path}; give one of them another construct id or functionName`,
        ];
      }
      if (same(other.names.sweepRuleName, runtime.names.sweepRuleName)) {
        return [`functionName: the sweep rule name "${runtime.names.sweepRuleName}" is also used by runtime ${other.node.path}`];
      }
      return [];
    });
}

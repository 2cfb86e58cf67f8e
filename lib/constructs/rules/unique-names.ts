import { IConstruct } from 'constructs';
import { problemAt } from '../validation';
import { Finding, RuntimeRule } from './rule';

interface Named extends IConstruct {
  readonly name: string;
}

/** Manifest entries are keyed by name: two constructs of one kind with the same name would overwrite each other. */
export const uniqueNames: RuntimeRule = ({ model }) => [
  ...duplicates('integration', model.integrations),
  ...duplicates('target', model.targets),
  ...duplicates('strategy', model.strategies),
  ...duplicates('flow', model.flows),
];

function duplicates(kind: string, constructs: readonly Named[]): Finding[] {
  const first = new Map<string, Named>();
  const findings: Finding[] = [];
  for (const construct of constructs) {
    const holder = first.get(construct.name);
    if (holder === undefined) {
      first.set(construct.name, construct);
    } else {
      findings.push({
        level: 'error',
        message: problemAt(
          construct,
          'name',
          `"${construct.name}" is also the name of ${kind} ${holder.node.path}; ${kind} names must be unique within a runtime`,
        ),
      });
    }
  }
  return findings;
}

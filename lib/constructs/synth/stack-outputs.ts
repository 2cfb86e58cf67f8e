import { TerraformOutput, TerraformOutputConfig, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';

/**
 * The names of the runtime's Terraform outputs, without a prefix: what `terraform output requests_url` reads. Two
 * runtimes in one stack tell theirs apart with `outputPrefix` (`staging` → `staging_requests_url`).
 */
export const OUTPUT_NAMES = {
  functionName: 'function_name',
  functionArn: 'function_arn',
  requestsUrl: 'requests_url',
  manifestHash: 'manifest_hash',
  slackRequestUrl: 'slack_request_url',
} as const;

/** `name` with the prefix, as Terraform will list it. */
export function outputName(prefix: string | undefined, name: string): string {
  return prefix === undefined ? name : `${prefix}_${name}`;
}

/**
 * An output named exactly `name` in `cdk.tf.json`: cdktf otherwise names an output after its construct path with a
 * hash (`runtime_requests_url_1442443E`), which nobody can type.
 */
export function stableOutput(scope: Construct, name: string, config: Omit<TerraformOutputConfig, 'staticId'>): TerraformOutput {
  return new TerraformOutput(scope, name, { ...config, staticId: true });
}

/**
 * Problems of the outputs `own` whose names another output of the stack also has: Terraform would keep one of them,
 * silently. Each names the other output's construct and the prop that sets them apart.
 */
export function outputClashes(owner: IConstruct, own: readonly TerraformOutput[], isRuntime: (scope: IConstruct) => boolean): string[] {
  const ownSet = new Set<IConstruct>(own);
  const others = TerraformStack.of(owner)
    .node.findAll()
    .filter((c): c is TerraformOutput => TerraformOutput.isTerraformOutput(c) && !ownSet.has(c));
  const clashes = own.flatMap((output) => {
    const other = others.find((o) => o.friendlyUniqueId === output.friendlyUniqueId);
    return other === undefined ? [] : [{ name: output.friendlyUniqueId, with: holderOf(other, isRuntime) }];
  });
  if (clashes.length === 0) return [];
  const holders = [...new Set(clashes.map((c) => c.with))];
  return [
    (clashes.length === 1
      ? `outputPrefix: the output ${clashes[0].name} is also an output`
      : `outputPrefix: the outputs ${clashes.map((c) => c.name).join(', ')} are also outputs`) +
      ` of ${holders.join(', ')} in this stack; ` +
      'give each runtime of a stack its own outputPrefix (e.g. "staging" names them staging_requests_url, …)',
  ];
}

/** The runtime an output belongs to, else the output itself. */
function holderOf(output: TerraformOutput, isRuntime: (scope: IConstruct) => boolean): string {
  const runtime = output.node.scopes.slice().reverse().find(isRuntime);
  return runtime === undefined ? `output ${output.node.path}` : `runtime ${runtime.node.path}`;
}

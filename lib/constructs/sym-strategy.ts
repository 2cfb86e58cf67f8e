import { Construct } from 'constructs';
import { StrategyManifest } from '../manifest';
import { SymIntegration } from './sym-integration';
import { SymTarget } from './sym-target';
import { SYM_NAME } from './text-rules';
import { describeValue, PropProblems } from './validation';

export interface SymStrategyProps {
  /**
   * Sym's `type`.
   * @default `'tailscale'`, the only strategy this library runs
   */
  readonly type?: 'tailscale';
  /** Sym's `name`, unique among the strategies of one runtime. Required. */
  readonly name: string;
  /** Sym's `integration_id`: the `tailscale` integration whose tailnet the targets live in. Required. */
  readonly integration: SymIntegration;
  /** Sym's `targets`: the `tailscale_group` targets requesters may choose from; non-empty, each once. Required. */
  readonly targets: readonly SymTarget[];
}

/** `sym_strategy` of type `tailscale`: grants membership of tailnet groups through one integration. */
export class SymStrategy extends Construct {
  readonly type = 'tailscale';
  readonly name: string;
  readonly integration: SymIntegration;
  readonly targets: readonly SymTarget[];

  constructor(scope: Construct, id: string, props: SymStrategyProps) {
    super(scope, id);
    const problems = new PropProblems(this);
    problems.choice('type', props.type, ['tailscale'], 'tailscale');
    this.name = problems.literal('name', props.name, SYM_NAME) ?? '';
    this.integration = props.integration;
    if (!(props.integration instanceof SymIntegration)) {
      problems.add('integration', `expected a SymIntegration, got ${describeValue(props.integration)}`);
    } else if (props.integration.type !== 'tailscale') {
      problems.add(
        'integration',
        `a tailscale strategy needs a "tailscale" integration, got ${props.integration.node.path} of type "${props.integration.type}"`,
      );
    }
    this.targets = problems.array('targets', props.targets, true);
    this.targets.forEach((target, index) => {
      const prop = `targets[${index}]`;
      if (!(target instanceof SymTarget)) {
        problems.add(prop, `expected a SymTarget, got ${describeValue(target)}`);
      } else if (target.type !== 'tailscale_group') {
        problems.add(prop, `a tailscale strategy takes only "tailscale_group" targets, got ${target.node.path} of type "${target.type}"`);
      } else if (this.targets.indexOf(target) !== index) {
        problems.add(prop, `${target.node.path} is already targets[${this.targets.indexOf(target)}]; list each target once`);
      }
    });
    problems.throwIfAny();
  }

  /** This strategy's entry in the manifest. */
  manifestEntry(): StrategyManifest {
    return { type: this.type, name: this.name, integration: this.integration.name, targets: this.targets.map((t) => t.name) };
  }
}

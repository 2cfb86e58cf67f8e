import { Construct } from 'constructs';
import { TargetManifest } from '../manifest';
import { DURATION, GROUP_NAME, LABEL, SYM_NAME, SYM_TYPE } from './text-rules';
import { PropProblems } from './validation';

/** Sym's `settings` of a `tailscale_group` target. */
export interface SymTargetSettings {
  /** Sym's `group_name`: the tailnet group WITHOUT its `group:` prefix (`prod` for `group:prod`). Required. */
  readonly groupName: string;
}

export interface SymTargetProps {
  /**
   * Sym's `type`.
   * @default `'tailscale_group'`, the only type a `tailscale` strategy takes
   */
  readonly type?: string;
  /** Sym's `name`, unique among the targets of one runtime. Required. */
  readonly name: string;
  /** Sym's `label`, shown to requesters. Required. */
  readonly label: string;
  /** Sym's `settings`. Required. */
  readonly settings: SymTargetSettings;
  /**
   * Longest grant of this target, e.g. `4h`.
   * @default none (the flow's `maxDuration` alone limits it)
   */
  readonly maxDuration?: string;
  /**
   * When true, the sweep also removes group members that carry no grant: the group holds only just-in-time members.
   * @default false
   */
  readonly exclusive?: boolean;
  /**
   * When true, escalation creates the group if the policy file lacks it; otherwise it fails.
   * @default false
   */
  readonly createGroup?: boolean;
}

/** `sym_target` of type `tailscale_group`: a tailnet group people are added to for a while. */
export class SymTarget extends Construct {
  /** Sym's `type`, as given: a strategy that takes only `tailscale_group` targets refuses any other, naming it. */
  readonly type: string;
  readonly name: string;
  readonly label: string;
  /** Every setting, checked and defaulted, as the runtime reads it: the target holds it once, rather than a field each. */
  private readonly entry: TargetManifest;

  constructor(scope: Construct, id: string, props: SymTargetProps) {
    super(scope, id);
    const problems = new PropProblems(this);
    this.type = problems.literal('type', props.type ?? 'tailscale_group', SYM_TYPE) ?? '';
    this.name = problems.literal('name', props.name, SYM_NAME) ?? '';
    this.label = problems.literal('label', props.label, LABEL) ?? '';
    const groupName = props.settings?.groupName;
    if (typeof groupName === 'string' && groupName.startsWith('group:')) {
      problems.add('settings.groupName', `drop the "group:" prefix: write "${groupName.slice('group:'.length)}", not "${groupName}"`);
    } else {
      problems.literal('settings.groupName', groupName, GROUP_NAME);
    }
    const maxDuration = props.maxDuration === undefined ? undefined : problems.literal('maxDuration', props.maxDuration, DURATION);
    const exclusive = problems.boolean('exclusive', props.exclusive, false);
    const createGroup = problems.boolean('createGroup', props.createGroup, false);
    problems.throwIfAny();
    this.entry = {
      // Checked by the strategies that use it.
      type: this.type as TargetManifest['type'],
      name: this.name,
      label: this.label,
      groupName: groupName ?? '',
      ...(maxDuration !== undefined && { maxDuration }),
      exclusive,
      createGroup,
    };
  }

  /** This target's entry in the manifest: every setting, checked and defaulted. */
  manifestEntry(): TargetManifest {
    return this.entry;
  }
}

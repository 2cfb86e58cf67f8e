import { IConstruct } from 'constructs';
import { RequestsManifest } from '../../manifest';
import { RuntimeModel } from '../synth/runtime-model';

/** What a cross-construct rule sees: one runtime and everything its flows reference. */
export interface RuleContext {
  readonly runtime: IConstruct;
  readonly environment: string;
  readonly model: RuntimeModel;
  /** The runtime's `kmsKeyArns` (empty when not given). */
  readonly kmsKeyArns: readonly string[];
  /** The runtime's requests-API settings. */
  readonly requests: RequestsManifest;
  /** Whom the runtime's alarms notify: its `alarmActions`, and whether it creates a topic (`alarmTopic`). */
  readonly alarms: { readonly actions: readonly string[]; readonly topic: boolean };
}

/** A rule's verdict on one construct: errors stop the synth, warnings are shown by it. */
export interface Finding {
  readonly level: 'error' | 'warning';
  /** Already in the `[construct path] prop: message` shape. */
  readonly message: string;
}

/** One check across the constructs of a runtime, in the spirit of a cdk-nag rule. */
export type RuntimeRule = (context: RuleContext) => Finding[];

import { SynthOutput } from './synth-output';

/** The apps the synth figure compares: the SSH-access example, a 200-target deployment, and plain resources. */
export const SYNTH_VARIANTS = ['example', 'many-targets', 'bare'] as const;
export type SynthVariant = (typeof SYNTH_VARIANTS)[number];

export interface SynthReport extends SynthOutput {
  /** Milliseconds from the child's start to the end of `app.synth()`. */
  readonly ms: number;
}

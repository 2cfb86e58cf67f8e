/** What each figure group hands back: its JSON object and its lines in the printed table. */
export interface FigureRow {
  readonly metric: string;
  /** Formatted with its unit, e.g. `41.20 ms`. */
  readonly value: string;
  /** The target as a reader would say it, e.g. `≤ 1.15`; absent for context figures. */
  readonly target?: string;
  readonly met?: boolean;
}

export interface FigureResult {
  readonly title: string;
  readonly json: Record<string, unknown>;
  readonly rows: readonly FigureRow[];
}

export const FIGURE_KEYS = ['escalation', 'contention', 'policySize', 'commentHeavy', 'synth', 'runtime', 'slack', 'requests', 'load'] as const;
export type FigureKey = (typeof FIGURE_KEYS)[number];

export interface BenchSettings {
  readonly delayMs: number;
  readonly quick: boolean;
}

/** Milliseconds for display. */
export const ms = (value: number): string => `${value.toFixed(value < 10 ? 3 : 1)} ms`;
/** Three decimals, so a value just over its target never prints as equal to it. */
export const ratio = (value: number): string => `${value.toFixed(3)}×`;

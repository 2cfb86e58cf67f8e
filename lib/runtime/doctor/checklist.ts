/**
 * `ok`: as it should be. `fail`: the runtime cannot do its work until this is fixed (its `fix` says how). `warn`:
 * it works, but something is off or about to be. `skip`: not checked, because a line before it failed (or the
 * deployment has no such part); the detail says which.
 */
export type DoctorStatus = 'ok' | 'fail' | 'warn' | 'skip';

/** One line of the checklist: a stable id (`group:main-prod-access`), what was found, and what to do when it fails. */
export interface CheckLine {
  readonly id: string;
  readonly status: DoctorStatus;
  readonly detail: string;
  readonly fix?: string;
}

/** What the runtime answers `{"action":"check"}`: the checklist, in a fixed order, and how many lines failed or warn. */
export interface CheckResult {
  /** The check ran; whether the deployment is healthy is in `failed`. */
  readonly ok: true;
  readonly action: 'check';
  readonly environment: string;
  readonly lines: readonly CheckLine[];
  readonly failed: number;
  readonly warned: number;
}

export const passed = (id: string, detail: string): CheckLine => ({ id, status: 'ok', detail });
export const failed = (id: string, detail: string, fix: string): CheckLine => ({ id, status: 'fail', detail, fix });
export const warned = (id: string, detail: string, fix?: string): CheckLine => ({ id, status: 'warn', detail, ...(fix === undefined ? {} : { fix }) });
export const skipped = (id: string, detail: string): CheckLine => ({ id, status: 'skip', detail });

/** The answer for `lines`, counted. */
export function checkResult(environment: string, lines: readonly CheckLine[]): CheckResult {
  const count = (status: DoctorStatus) => lines.filter((l) => l.status === status).length;
  return { ok: true, action: 'check', environment, lines, failed: count('fail'), warned: count('warn') };
}

/** How long ago, for people: `40 s`, `12 min`, `3 h 5 min`, `2 days`. */
export function age(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days`;
}

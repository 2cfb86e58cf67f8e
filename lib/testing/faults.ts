/** Which requests a forced failure applies to. */
export type FaultPath = 'acl' | 'token' | 'any';
export type BrokenGet = 'no-etag' | 'not-hujson';

export interface ForcedFailure {
  status: number;
  retryAfter?: string;
  body?: unknown;
}

interface FailureBatch extends ForcedFailure {
  remaining: number;
  path: FaultPath;
}

interface RaceBatch {
  remaining: number;
  mutate: (text: string) => string;
}

/** Queued faults, each consumed by the request it hits, in the order they were asked for. */
export class FaultPlan {
  private failures: FailureBatch[] = [];
  private drops = 0;
  private lostWrites = 0;
  private etaglessWrites = 0;
  private races: RaceBatch[] = [];
  private brokenGets: BrokenGet[] = [];

  addFailures(count: number, path: FaultPath, failure: ForcedFailure): void {
    this.failures.push({ ...failure, remaining: count, path });
  }

  addDrops(count: number): void {
    this.drops += count;
  }

  addLostWrites(count: number): void {
    this.lostWrites += count;
  }

  takeLostWrite(): boolean {
    if (this.lostWrites === 0) return false;
    this.lostWrites--;
    return true;
  }

  addEtaglessWrites(count: number): void {
    this.etaglessWrites += count;
  }

  takeEtaglessWrite(): boolean {
    if (this.etaglessWrites === 0) return false;
    this.etaglessWrites--;
    return true;
  }

  addRaces(count: number, mutate: (text: string) => string): void {
    this.races.push({ remaining: count, mutate });
  }

  addBrokenGet(kind: BrokenGet): void {
    this.brokenGets.push(kind);
  }

  takeDrop(): boolean {
    if (this.drops === 0) return false;
    this.drops--;
    return true;
  }

  takeFailure(path: 'acl' | 'token' | 'other'): ForcedFailure | undefined {
    const batch = this.failures.find((f) => f.path === 'any' || f.path === path);
    if (!batch) return undefined;
    return take(this.failures, batch);
  }

  takeRace(): ((text: string) => string) | undefined {
    const batch = this.races[0];
    return batch ? take(this.races, batch).mutate : undefined;
  }

  takeBrokenGet(): BrokenGet | undefined {
    return this.brokenGets.shift();
  }

  clear(): void {
    this.failures = [];
    this.drops = 0;
    this.lostWrites = 0;
    this.etaglessWrites = 0;
    this.races = [];
    this.brokenGets = [];
  }
}

function take<T extends { remaining: number }>(queue: T[], batch: T): T {
  batch.remaining--;
  if (batch.remaining <= 0) queue.splice(queue.indexOf(batch), 1);
  return batch;
}

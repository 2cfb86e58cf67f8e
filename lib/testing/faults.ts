import { HeldCall } from './held-call';

/**
 * Which requests a forced failure applies to: the policy file, the OAuth token, a key's metadata, the lists of
 * devices, keys, settings or users, or any.
 */
export type FaultPath = 'acl' | 'token' | 'key' | 'devices' | 'keys' | 'settings' | 'users' | 'any';
/**
 * How the next policy GET goes wrong: no ETag, a body that is not HuJSON, or the ETag without its quotes (as a proxy
 * may pass it on; the API's `If-Match` still wants them).
 */
export type BrokenGet = 'no-etag' | 'not-hujson' | 'unquoted-etag';

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
  private readonly drops = new Countdown();
  private readonly lostWrites = new Countdown();
  private readonly etaglessWrites = new Countdown();
  private races: RaceBatch[] = [];
  private brokenGets: BrokenGet[] = [];
  private heldWrites: HeldCall[] = [];

  addFailures(count: number, path: FaultPath, failure: ForcedFailure): void {
    this.failures.push({ ...failure, remaining: count, path });
  }

  addDrops(count: number): void {
    this.drops.add(count);
  }

  addLostWrites(count: number): void {
    this.lostWrites.add(count);
  }

  takeLostWrite(): boolean {
    return this.lostWrites.take();
  }

  addEtaglessWrites(count: number): void {
    this.etaglessWrites.add(count);
  }

  takeEtaglessWrite(): boolean {
    return this.etaglessWrites.take();
  }

  addRaces(count: number, mutate: (text: string) => string): void {
    this.races.push({ remaining: count, mutate });
  }

  addBrokenGet(kind: BrokenGet): void {
    this.brokenGets.push(kind);
  }

  addHeldWrite(hold: HeldCall): void {
    this.heldWrites.push(hold);
  }

  takeHeldWrite(): HeldCall | undefined {
    return this.heldWrites.shift();
  }

  takeDrop(): boolean {
    return this.drops.take();
  }

  takeFailure(path: Exclude<FaultPath, 'any'> | 'other'): ForcedFailure | undefined {
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
    this.drops.clear();
    this.lostWrites.clear();
    this.etaglessWrites.clear();
    this.races = [];
    this.brokenGets = [];
    // A hold nobody will release must not keep its write waiting for ever.
    for (const hold of this.heldWrites.splice(0)) hold.release();
  }
}

/** How many of the next requests a fault still applies to. */
class Countdown {
  private left = 0;

  add(count: number): void {
    this.left += count;
  }

  /** True, and one fewer left, when the fault applies to this request. */
  take(): boolean {
    if (this.left === 0) return false;
    this.left--;
    return true;
  }

  clear(): void {
    this.left = 0;
  }
}

function take<T extends { remaining: number }>(queue: T[], batch: T): T {
  batch.remaining--;
  if (batch.remaining <= 0) queue.splice(queue.indexOf(batch), 1);
  return batch;
}

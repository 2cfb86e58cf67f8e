/**
 * One call a stand-in holds in flight until the test releases it: `arrived` resolves when the call comes in, and the
 * stand-in answers it only after `release()`. With it a test puts another actor's work exactly between a call's
 * arrival and its effect (a revoke that runs while a grant's POST is on the wire), instead of hoping jitter does.
 */
export interface Hold {
  /** Resolves once the held call has arrived. */
  readonly arrived: Promise<void>;
  /** Lets the call go on; calling it before arrival lets the call through without stopping. */
  release(): void;
}

/** A stand-in's side of a {@link Hold}. */
export class HeldCall implements Hold {
  readonly arrived: Promise<void>;
  private readonly released: Promise<void>;
  private arrive!: () => void;
  private go!: () => void;

  constructor() {
    this.arrived = new Promise((resolve) => (this.arrive = resolve));
    this.released = new Promise((resolve) => (this.go = resolve));
  }

  /** The stand-in calls this when the call arrives; it resolves once the test releases the call. */
  wait(): Promise<void> {
    this.arrive();
    return this.released;
  }

  release(): void {
    this.go();
  }
}

/**
 * Real time moved forward by `offsetMs`: the one clock a function under test and the stand-ins it calls share, so
 * that when a test jumps the function half an hour ahead, an STS stand-in judges signatures by the same time.
 */
export class OffsetClock {
  offsetMs = 0;

  readonly now = (): Date => new Date(Date.now() + this.offsetMs);

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

/**
 * A full garbage collection, so a timed sample does not pay for the garbage of the one before it. The bench runs
 * as a plain `node` process, so the collector is exposed here rather than by a command-line flag.
 */
export function settleHeap(): void {
  if (collect === undefined) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}

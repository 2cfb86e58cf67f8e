import { parseBenchArgs } from '../../scripts/bench/args';

const ALL = ['escalation', 'contention', 'policySize', 'commentHeavy', 'synth', 'runtime', 'slack', 'requests', 'load'];

describe('the bench command line', () => {
  it.each([
    [[], { json: false, quick: false, help: false, delayMs: 20, only: ALL }],
    [['--json'], { json: true, quick: false, help: false, delayMs: 20, only: ALL }],
    [['--quick', '--delay-ms', '5'], { json: false, quick: true, help: false, delayMs: 5, only: ALL }],
    [['--delay-ms=1000'], { json: false, quick: false, help: false, delayMs: 1000, only: ALL }],
    [['--only', 'synth,escalation'], { json: false, quick: false, help: false, delayMs: 20, only: ['escalation', 'synth'] }],
    [['--only', 'runtime, runtime'], { json: false, quick: false, help: false, delayMs: 20, only: ['runtime'] }],
    [['--help'], { json: false, quick: false, help: true, delayMs: 20, only: ALL }],
  ])('%j reads as %j', (argv, expected) => {
    expect(parseBenchArgs(argv)).toEqual(expected);
  });

  it.each([
    [['--delay-ms', '0'], '--delay-ms: expected a whole number of milliseconds from 1 to 1000, got "0"'],
    [['--delay-ms', '1001'], '--delay-ms: expected a whole number of milliseconds from 1 to 1000, got "1001"'],
    [['--delay-ms', '2.5'], '--delay-ms: expected a whole number of milliseconds from 1 to 1000, got "2.5"'],
    [['--delay-ms', 'fast'], '--delay-ms: expected a whole number of milliseconds from 1 to 1000, got "fast"'],
    [
      ['--only', 'synth,speed'],
      '--only: expected a comma-separated list of escalation, contention, policySize, commentHeavy, synth, runtime, slack, requests, load; unknown: "speed"',
    ],
    [['--only', ''], 'unknown: ""'],
    [['--verbose'], "Unknown option '--verbose'"],
    [['extra'], 'extra'],
  ])('%j is refused: %s', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });
});

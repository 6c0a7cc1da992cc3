import { jest } from '@jest/globals';
import { ReplayGate } from '../../../../src/adapters/outbound/ssh/ssh-dokku-builds.adapter.js';

/**
 * The gate that holds a build's replay (`tail -n 1000 -f`) until it is complete, to say first whether it was cut: on
 * fake timers, so that a pause or a steady stream lasts exactly as long as the test says.
 */
function gate() {
  const seen: { cut?: boolean; at?: number; text: string } = { text: '' };
  const started = Date.now();
  const g = new ReplayGate({ start: (cut) => ((seen.cut = cut), (seen.at = Date.now() - started)), output: (text) => void (seen.text += text) });
  return { g, seen };
}
const lines = (from: number, count: number, prefix = '       line') => Array.from({ length: count }, (_, i) => `${prefix} ${from + i}\n`).join('');
/** Feeds `chunk()` every `everyMs` for `forMs`, advancing the fake clock. */
function stream(g: ReplayGate, everyMs: number, forMs: number, chunk: (n: number) => string): void {
  for (let t = 0, n = 0; t < forMs; t += everyMs, n++) {
    g.data(chunk(n));
    jest.advanceTimersByTime(everyMs);
  }
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('ReplayGate', () => {
  it('attached early to a build that prints without pause: opens at the short cap, not cut, though 1000+ lines came', () => {
    const { g, seen } = gate();
    g.armed();
    g.data('-----> Preparing node-js-app (git push)\n');
    stream(g, 50, 3_000, (n) => lines(n * 25, 25)); // 500 lines a second, never a 150 ms pause
    expect(seen.cut).toBe(false);
    expect(seen.at).toBeLessThanOrEqual(2_000);
    expect(seen.text.startsWith('-----> Preparing node-js-app (git push)\n')).toBe(true);
  });

  it('a replay that starts mid-log was cut: said at its first line, and the rest passes as it comes, however slowly', () => {
    const { g, seen } = gate();
    g.armed();
    g.data(lines(500, 100, '       [git-hook] unpacking object'));
    expect(seen).toMatchObject({ cut: true, at: 0 });
    jest.advanceTimersByTime(5_000); // a starved host
    g.data(lines(600, 900, '       [git-hook] unpacking object'));
    expect(seen.text.split('\n')).toHaveLength(1001);
  });

  it('a replay whose first line is a shell trace (`dokku trace on`) is judged by its length: 1000 lines, cut', () => {
    const { g, seen } = gate();
    g.armed();
    g.data(`+ export DOKKU_HOST_ROOT=/home/dokku\n${lines(0, 299)}`);
    jest.advanceTimersByTime(900); // longer than the short pause: 200+ lines in, it waits for a long one
    expect(seen.cut).toBeUndefined();
    g.data(lines(299, 700));
    jest.advanceTimersByTime(1_100);
    expect(seen.cut).toBe(true);
  });

  it('a replay whose first chunk comes late (a starved host: nothing for 3 s) is judged by it, not taken for an empty one', () => {
    const { g, seen } = gate();
    g.armed();
    jest.advanceTimersByTime(3_000);
    expect(seen.cut).toBeUndefined(); // nothing to judge yet, and nothing held back
    g.data(lines(502, 100, '       [git-hook] unpacking object'));
    expect(seen.cut).toBe(true);
  });

  it('a short replay from the build\'s start opens after the short pause, not cut', () => {
    const { g, seen } = gate();
    g.armed();
    g.data(`-----> Preparing node-js-app (git push)\n${lines(0, 40)}`);
    jest.advanceTimersByTime(400);
    expect(seen).toMatchObject({ cut: false });
    expect(seen.at).toBeLessThan(400);
  });

  it('replaced by the whole log of a build that ended while its replay was held: nothing the channel sends after is kept', () => {
    const { g, seen } = gate();
    g.armed();
    g.data('-----> Preparing\n       step 1\n'); // held for the short pause
    g.replaceWith(`-----> Preparing\n${lines(0, 10)} !     App build failed\n`);
    g.data('       step 2\n');
    expect(seen.cut).toBe(false);
    expect(seen.text).toBe(`-----> Preparing\n${lines(0, 10)} !     App build failed\n`);
  });
});

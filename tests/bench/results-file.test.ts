import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mergeRows, soakSectionOf, SOAK_HEADING, writeSoakSection } from '../../bench/results-file.js';
import { linearSlope, plateau, plateaus } from '../../bench/stats.js';

const RESULTS = [
  '# Benchmark results',
  '',
  '| measure | n | figure |',
  '| --- | --- | --- |',
  '| list_apps | 200 calls | p50 30 ms |',
  '| sanitizer | 400 lines | 300 ms |',
  '',
  '- Where list_apps time goes: 17 ms on top.',
  '- CPU used during the row (8.3 s wall × 2 cores): 56%.',
  '',
].join('\n');

describe('bench/RESULTS.md shared by make bench, make bench BENCH_ONLY and make soak', () => {
  it('a partial run replaces the rows and notes it measured again, appends new ones, and leaves the others as they were', () => {
    const merged = mergeRows(RESULTS, [['list_apps', '200 calls', 'p50 25 ms'], ['500 concurrent calls', '500/500', 'p50 9 ms']],
      ['CPU used during the row (6.1 s wall × 2 cores): 70%.', '500 concurrent calls: all answered.']);
    expect(merged.split('\n')).toEqual([
      '# Benchmark results',
      '',
      '| measure | n | figure |',
      '| --- | --- | --- |',
      '| list_apps | 200 calls | p50 25 ms |',
      '| sanitizer | 400 lines | 300 ms |',
      '| 500 concurrent calls | 500/500 | p50 9 ms |',
      '',
      '- Where list_apps time goes: 17 ms on top.',
      '- CPU used during the row (6.1 s wall × 2 cores): 70%.',
      '- 500 concurrent calls: all answered.',
      '',
    ]);
  });

  it('the soak section goes at the end, replaces the one before, and survives a partial bench run', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'results-')), 'RESULTS.md');
    fs.writeFileSync(file, RESULTS);
    writeSoakSection(file, ['soak', 'old'], ['Old note.'], 'make soak SOAK_MINUTES=2');
    writeSoakSection(file, ['soak', 'new'], ['New note.'], 'make soak SOAK_MINUTES=30');
    const text = fs.readFileSync(file, 'utf8');
    expect(text.startsWith(RESULTS.trimEnd())).toBe(true);
    expect(text.split(SOAK_HEADING)).toHaveLength(2);
    expect(text).toContain('| soak | new |');
    expect(text).not.toContain('Old note.');
    expect(text).toContain('`make soak SOAK_MINUTES=30`');
    const soak = soakSectionOf(file);
    expect(soak.startsWith(SOAK_HEADING)).toBe(true);
    const merged = mergeRows(text, [['sanitizer', '400 lines', '280 ms']], []);
    expect(merged).toContain('| sanitizer | 400 lines | 280 ms |');
    expect(merged.endsWith(soak)).toBe(true);
    expect(merged.indexOf('| sanitizer | 400 lines | 280 ms |')).toBeLessThan(merged.indexOf(SOAK_HEADING));
  });
});

describe('the soak verdict', () => {
  const minutes = Array.from({ length: 360 }, (_, i) => i / 12); // 30 min, a sample every 5 s
  const MB = 1048576;

  it('fits the slope of a line', () => {
    expect(linearSlope([0, 1, 2, 3], [1, 3, 5, 7])).toBeCloseTo(2);
    expect(linearSlope([1], [1])).toBeNaN();
  });

  it('a sawtooth around a level plateaus; the same sawtooth on a slow climb does not', () => {
    const saw = (m: number, i: number) => 150 * MB + ((i % 24) / 24) * 40 * MB; // GC cycles of 2 minutes, 40 MB high
    const flat = plateau(minutes.map((m, i) => ({ minute: m, value: saw(m, i) })));
    expect(plateaus(flat)).toBe(true);
    // 1 MB a minute: 30 MB over the run, below the sawtooth's height, yet the fit and the thirds both see it.
    const leak = plateau(minutes.map((m, i) => ({ minute: m, value: saw(m, i) + m * MB })));
    expect(leak.slope).toBeGreaterThan(0.8);
    expect(leak.slope).toBeLessThan(1.2);
    expect(plateaus(leak)).toBe(false);
  });
});

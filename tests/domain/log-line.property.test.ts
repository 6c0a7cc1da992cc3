/**
 * Property-based checks of the runtime log-line parser (fast-check): any text parses without throwing; a line Dokku
 * prints (coloured prefix or not, CRLF under a pty) gives back exactly its timestamp, process and message; and
 * ordering by timestamp agrees with the instants the timestamps name, whatever their offsets and fractions.
 */
import fc from 'fast-check';
import { compareLogLines, LogLine } from '../../src/domain/log-line.js';

const RUNS = { numRuns: 500 };
const two = (n: number): string => String(n).padStart(2, '0');

/** An RFC 3339 timestamp as Docker may print it, with the instant it names in nanoseconds since the epoch. */
const timestamp = fc
  .record({
    seconds: fc.integer({ min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2099, 11, 31) / 1000 }),
    fraction: fc.option(fc.stringMatching(/^[0-9]{1,9}$/), { nil: undefined }),
    offsetMinutes: fc.oneof(fc.constant(0), fc.integer({ min: -12 * 60, max: 14 * 60 })),
    zulu: fc.boolean(),
  })
  .map(({ seconds, fraction, offsetMinutes, zulu }) => {
    const offset = zulu && offsetMinutes === 0 ? 0 : offsetMinutes;
    const local = new Date((seconds + offset * 60) * 1000).toISOString().slice(0, 19);
    const sign = offset < 0 ? '-' : '+';
    const suffix = zulu && offset === 0 ? 'Z' : `${sign}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
    const text = `${local}${fraction === undefined ? '' : `.${fraction}`}${suffix}`;
    const nanos = BigInt(seconds) * 1_000_000_000n + BigInt((fraction ?? '').padEnd(9, '0') || '0');
    return { text, nanos };
  });

const processName = fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}\.[1-9][0-9]{0,2}$/);
/** What an app prints: anything but line breaks and escape characters (the parser strips ANSI codes). */
const message = fc.string({ unit: 'binary', maxLength: 120 }).filter((m) => !/[\r\n\x1b\x9b]/.test(m));
const COLOURS = ['36', '33', '32', '35', '31'];

describe('LogLine properties', () => {
  it('parses any text without throwing, and keeps a line that is not prefixed as its message', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const line = LogLine.parse(text);
        expect(typeof line.message).toBe('string');
        expect(typeof LogLine.format(line)).toBe('string');
      }),
      RUNS,
    );
  });

  it('gives back the timestamp, process and message of a line as Dokku prints it (coloured or not, CRLF or not)', () => {
    fc.assert(
      fc.property(timestamp, processName, message, fc.option(fc.constantFrom(...COLOURS)), fc.boolean(), fc.constantFrom('app', 'my-app.v2'),
        (ts, proc, msg, colour, crlf, source) => {
          const prefix = `${ts.text} ${source}[${proc}]:`;
          const raw = `${colour ? `\x1b[${colour}m${prefix}\x1b[0m` : prefix} ${msg}${crlf ? '\r\n' : ''}`;
          expect(LogLine.parse(raw)).toEqual({ timestamp: ts.text, process: proc, message: msg });
        }),
      RUNS,
    );
  });

  it('orders lines as the instants their timestamps name, whatever the offsets and fraction digits', () => {
    fc.assert(
      fc.property(timestamp, timestamp, (a, b) => {
        const order = Math.sign(compareLogLines({ timestamp: a.text, message: '' }, { timestamp: b.text, message: '' }));
        expect({ a: a.text, b: b.text, order }).toEqual({ a: a.text, b: b.text, order: a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0 });
      }),
      RUNS,
    );
  });

  it('a stable sort keeps lines without a timestamp where they were', () => {
    fc.assert(
      fc.property(fc.array(fc.option(timestamp, { nil: undefined }), { maxLength: 20 }), (stamps) => {
        const lines = stamps.map((ts, i) => ({ timestamp: ts?.text, message: String(i) }));
        const sorted = [...lines].sort(compareLogLines);
        expect(sorted.map((l) => l.message).sort()).toEqual(lines.map((l) => l.message).sort());
        expect(sorted.filter((l) => l.timestamp === undefined).map((l) => l.message)).toEqual(lines.filter((l) => l.timestamp === undefined).map((l) => l.message));
      }),
      RUNS,
    );
  });
});

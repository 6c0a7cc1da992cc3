import { LogLine } from '../../src/domain/log-line.js';
import { LogText, LogTextWriter } from '../../src/domain/log-text.js';

const DOKKU = [
  '\x1b[36m2026-04-30T23:59:59.987654321Z app[web.1]:\x1b[0m GET / 200 12.345 ms - 2456',
  '\x1b[33m2026-05-01T00:00:00.001000000Z app[worker.10]:\x1b[0m Processing job 4711 (send_welcome_email)',
  '\x1b[36m2026-05-01T00:00:01.5Z app[web.1]:\x1b[0m Listening on :5000',
];

describe('LogText: runtime logs as compact text', () => {
  it('per line the UTC time to the millisecond, the process and the message; the date once per day', () => {
    expect(LogText.ofLines(DOKKU.map((line) => LogLine.parse(line)))).toBe(
      '--- 2026-04-30 UTC ---\n' +
        '23:59:59.987 web.1 GET / 200 12.345 ms - 2456\n' +
        '--- 2026-05-01 UTC ---\n' +
        '00:00:00.001 worker.10 Processing job 4711 (send_welcome_email)\n' +
        '00:00:01.500 web.1 Listening on :5000\n',
    );
  });

  it('spends at most 24 bytes per line beyond the message (Dokku: about 52), date lines aside', () => {
    const lines = DOKKU.map((line) => LogLine.parse(line));
    const text = LogText.ofLines(lines).split('\n').filter((l) => l !== '' && !l.startsWith('---'));
    text.forEach((written, i) => expect(Buffer.byteLength(written) + 1 - Buffer.byteLength(lines[i]!.message)).toBeLessThanOrEqual(24));
    expect(Buffer.byteLength(DOKKU[0]!) + 1 - Buffer.byteLength(lines[0]!.message)).toBeGreaterThanOrEqual(50);
  });

  it('converts an offset to UTC; keeps lines without a timestamp or process as they are', () => {
    expect(LogText.ofLines([{ timestamp: '2026-04-30T15:50:01.2+02:00', process: 'web.1', message: 'a' }, { message: 'plain' }])).toBe(
      '--- 2026-04-30 UTC ---\n13:50:01.200 web.1 a\nplain\n',
    );
  });

  it('writes markers in the same text, and a writer repeats no date across batches', () => {
    const writer = new LogTextWriter();
    const line = { type: 'line' as const, line: LogLine.parse(DOKKU[2]!) };
    expect(writer.write([line, { type: 'gap', missed: 12, reason: 'this reader fell behind' }])).toBe(
      '--- 2026-05-01 UTC ---\n00:00:01.500 web.1 Listening on :5000\n--- gap: 12 lines missed (this reader fell behind) ---\n',
    );
    expect(writer.write([line, { type: 'restarted', missed: null, reason: 'restart succeeded' }, { type: 'end', reason: 'the app shop no longer exists' }])).toBe(
      '00:00:01.500 web.1 Listening on :5000\n--- restarted: lines may be missing (restart succeeded) ---\n--- end: the app shop no longer exists ---\n',
    );
  });
});

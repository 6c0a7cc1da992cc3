import { compareLogLines, LogLine, stripAnsi } from '../../src/domain/log-line.js';

const ESC = '\x1b';
const dokkuLine = (colour: number, ts: string, proc: string, message: string): string =>
  `${ESC}[${colour}m${ts} app[${proc}]:${ESC}[0m ${message}`;

describe('stripAnsi', () => {
  test.each([
    ['colour + reset', `${ESC}[0;32mok${ESC}[0m`, 'ok'],
    ['cursor column and erase line', `${ESC}[1G${ESC}[Kprogress 50%`, 'progress 50%'],
    ['bold bright', `${ESC}[1;91mERROR${ESC}[22;39m done`, 'ERROR done'],
    ['OSC title ended by BEL', `${ESC}]0;my title\x07text`, 'text'],
    ['OSC hyperlink ended by ST', `${ESC}]8;;https://x.dev${ESC}\\link${ESC}]8;;${ESC}\\`, 'link'],
    ['charset designation', `${ESC}(Bplain`, 'plain'],
    ['8-bit CSI', '\x9b31mred', 'red'],
    ['no escapes at all', 'plain text [not] ansi', 'plain text [not] ansi'],
  ])('%s', (_name, input, expected) => {
    expect(stripAnsi(input)).toBe(expected);
  });
});

describe('LogLine.parse', () => {
  test.each([36, 33, 32, 35, 31])('coloured prefix %i', (colour) => {
    const raw = dokkuLine(colour, '2026-04-30T13:50:01.123456789Z', 'web.1', 'Listening on :5000');
    expect(LogLine.parse(raw)).toEqual({
      timestamp: '2026-04-30T13:50:01.123456789Z',
      process: 'web.1',
      message: 'Listening on :5000',
    });
  });

  test.each([
    ['worker.2', 'job 17 done'],
    ['release.1', 'Running migrations'],
    ['web.10', 'GET / 200'],
    ['clock', 'tick'],
  ])('process %s', (proc, message) => {
    const parsed = LogLine.parse(dokkuLine(33, '2026-04-30T13:50:01.000000001Z', proc, message));
    expect(parsed.process).toBe(proc);
    expect(parsed.message).toBe(message);
  });

  test('legacy output with the app name as source', () => {
    expect(LogLine.parse('2016-01-02T03:04:05.123456789Z my-app[web.1]: hi')).toEqual({
      timestamp: '2016-01-02T03:04:05.123456789Z',
      process: 'web.1',
      message: 'hi',
    });
  });

  test.each([
    ['fewer fractional digits', '2026-04-30T13:50:01.5Z'],
    ['no fraction', '2026-04-30T13:50:01Z'],
    ['numeric offset', '2026-04-30T13:50:01.123+00:00'],
  ])('timestamp with %s is kept as given', (_name, ts) => {
    expect(LogLine.parse(`${ts} app[web.1]: m`).timestamp).toBe(ts);
  });

  test('a message containing "]: " keeps everything after the first prefix', () => {
    const raw = dokkuLine(32, '2026-04-30T13:50:01.123456789Z', 'web.1', '[db]: connected [pool]: 5');
    expect(LogLine.parse(raw).message).toBe('[db]: connected [pool]: 5');
  });

  test('only one space after the colon is removed (indentation survives)', () => {
    const raw = dokkuLine(36, '2026-04-30T13:50:01.123456789Z', 'web.1', '   at main (index.js:3:1)');
    expect(LogLine.parse(raw).message).toBe('   at main (index.js:3:1)');
  });

  test('an empty message', () => {
    const raw = `${ESC}[36m2026-04-30T13:50:01.123456789Z app[web.1]:${ESC}[0m `;
    expect(LogLine.parse(raw)).toEqual({ timestamp: '2026-04-30T13:50:01.123456789Z', process: 'web.1', message: '' });
  });

  test('CRLF line endings from a pty are dropped', () => {
    const raw = `${dokkuLine(35, '2026-04-30T13:50:01.123456789Z', 'web.1', 'hello')}\r\n`;
    expect(LogLine.parse(raw).message).toBe('hello');
    expect(LogLine.parse('raw line\r')).toEqual({ message: 'raw line' });
  });

  test('ANSI inside the message is stripped too', () => {
    const raw = dokkuLine(31, '2026-04-30T13:50:01.123456789Z', 'web.1', `${ESC}[31mERROR${ESC}[0m boom`);
    expect(LogLine.parse(raw).message).toBe('ERROR boom');
  });

  test.each([
    ['-q raw output', 'Listening on :5000', { message: 'Listening on :5000' }],
    ['coloured raw output', `${ESC}[32minfo${ESC}[0m: started`, { message: 'info: started' }],
    ['garbage', '}{ not a log ]: line', { message: '}{ not a log ]: line' }],
    ['empty line', '', { message: '' }],
    ['timestamp without source', '2026-04-30T13:50:01.123456789Z hello', { message: '2026-04-30T13:50:01.123456789Z hello' }],
    ['bad timestamp', '2026-04-30 13:50:01 app[web.1]: x', { message: '2026-04-30 13:50:01 app[web.1]: x' }],
  ])('%s has no timestamp or process', (_name, raw, expected) => {
    expect(LogLine.parse(raw)).toEqual(expected);
  });
});

describe('LogLine.format', () => {
  test('compact form with timestamp and process', () => {
    const line = LogLine.parse(dokkuLine(36, '2026-04-30T13:50:01.123456789Z', 'web.1', 'Listening on :5000'));
    expect(LogLine.format(line)).toBe('2026-04-30T13:50:01.123456789Z web.1: Listening on :5000');
  });

  test('just the message when there is no prefix', () => {
    expect(LogLine.format({ message: 'raw' })).toBe('raw');
  });
});

describe('compareLogLines', () => {
  const at = (timestamp: string, message = timestamp): LogLine => ({ timestamp, process: 'web.1', message });

  test('orders by time, normalising fractions of different lengths', () => {
    const lines = [
      at('2026-04-30T13:50:01.5Z'),
      at('2026-04-30T13:50:01.123456789Z'),
      at('2026-04-30T13:50:01Z'),
      at('2026-04-30T13:50:00.999999999Z'),
    ];
    expect([...lines].sort(compareLogLines).map((l) => l.timestamp)).toEqual([
      '2026-04-30T13:50:00.999999999Z',
      '2026-04-30T13:50:01Z',
      '2026-04-30T13:50:01.123456789Z',
      '2026-04-30T13:50:01.5Z',
    ]);
  });

  test('compares offsets in UTC', () => {
    expect(compareLogLines(at('2026-04-30T15:50:00.000000000+02:00'), at('2026-04-30T13:50:01Z'))).toBeLessThan(0);
    expect(compareLogLines(at('2026-04-30T13:50:01+00:00'), at('2026-04-30T13:50:01.000Z'))).toBe(0);
  });

  test('merges two containers by time', () => {
    const web = [at('2026-04-30T13:50:01.100000000Z', 'w1'), at('2026-04-30T13:50:03.000000000Z', 'w2')];
    const worker = [at('2026-04-30T13:50:02.000000000Z', 'k1'), at('2026-04-30T13:50:04.000000000Z', 'k2')];
    expect([...web, ...worker].sort(compareLogLines).map((l) => l.message)).toEqual(['w1', 'k1', 'w2', 'k2']);
  });

  test('lines without a timestamp compare equal (a stable sort keeps their place)', () => {
    expect(compareLogLines({ message: 'a' }, at('2026-04-30T13:50:01Z'))).toBe(0);
    expect(compareLogLines(at('2026-04-30T13:50:01Z'), { message: 'b' })).toBe(0);
    const raw = [{ message: 'c' }, { message: 'a' }, { message: 'b' }];
    expect([...raw].sort(compareLogLines).map((l) => l.message)).toEqual(['c', 'a', 'b']);
  });
});

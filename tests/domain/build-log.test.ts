import { BuildLog } from '../../src/domain/build-log.js';

const log = (maxBytes = 1024 * 1024, redact?: (line: string) => string) => new BuildLog({ maxBytes, redact });
const nine = (i: number) => `line-${String(i).padStart(3, '0')}\n`; // 9 characters with its newline

describe('BuildLog', () => {
  test('refuses a non-positive cap', () => {
    expect(() => log(0)).toThrow(RangeError);
  });

  test('joins chunks split in the middle of lines and keeps only whole lines', () => {
    const l = log();
    expect(l.append('-----> Buil')).toBe(0);
    expect(l.readAll()).toBe('');
    expect(l.append('ding app\n       step')).toBe(1);
    expect(l.append(' two\n')).toBe(1);
    expect(l.readAll()).toBe('-----> Building app\n       step two\n');
    expect(l.lineCount).toBe(2);
  });

  test('strips the CR of CRLF line ends, also when CR and LF arrive in different chunks', () => {
    const l = log();
    l.append('one\r\ntwo\r');
    l.append('\nthree\r\n');
    expect(l.readAll()).toBe('one\ntwo\nthree\n');
  });

  test('redacts whole lines, so a secret split across chunks is still caught', () => {
    const l = log(1024, (line) => line.replaceAll('s3cr3tpw', '[REDACTED]'));
    l.append('DATABASE_URL:  postgres://app:s3c');
    l.append('r3tpw@db/app\n');
    expect(l.readAll()).toBe('DATABASE_URL:  postgres://app:[REDACTED]@db/app\n');
  });

  test('close flushes a partial last line and ignores later appends', () => {
    const l = log();
    l.append('done\nno newline at the end');
    expect(l.readAll()).toBe('done\n');
    l.close();
    expect(l.closed).toBe(true);
    expect(l.readAll()).toBe('done\nno newline at the end\n');
    expect(l.append('late\n')).toBe(0);
    expect(l.readAll()).toBe('done\nno newline at the end\n');
  });

  test('a line that never ends is cut at the cap instead of growing', () => {
    const l = log(10);
    l.append('x'.repeat(25));
    expect(l.readAll()).toContain('x'.repeat(25));
    expect(l.size).toBe(26);
  });

  describe('readFrom', () => {
    test('returns what came after an offset and the offset to use next', () => {
      const l = log();
      l.append('aaa\nbbb\n');
      const first = l.readFrom(0);
      expect(first).toEqual({ text: 'aaa\nbbb\n', nextOffset: 8, skippedBytes: 0 });
      l.append('ccc\n');
      expect(l.readFrom(first.nextOffset)).toEqual({ text: 'ccc\n', nextOffset: 12, skippedBytes: 0 });
      expect(l.readFrom(12)).toEqual({ text: '', nextOffset: 12, skippedBytes: 0 });
    });

    test('an offset inside a line starts at the next whole line', () => {
      const l = log();
      l.append('aaa\nbbb\nccc\n');
      expect(l.readFrom(2).text).toBe('bbb\nccc\n');
      expect(l.readFrom(4).text).toBe('bbb\nccc\n');
      expect(l.readFrom(5).text).toBe('ccc\n');
    });

    test('an offset past the end returns nothing and keeps the offset', () => {
      const l = log();
      l.append('aaa\n');
      expect(l.readFrom(100)).toEqual({ text: '', nextOffset: 100, skippedBytes: 0 });
    });
  });

  describe('size cap', () => {
    test('drops the oldest lines, says so with a marker, and keeps offsets absolute', () => {
      const l = log(30);
      l.append(nine(1) + nine(2) + nine(3));
      const before = l.readFrom(0);
      expect(before.text).toBe(nine(1) + nine(2) + nine(3));
      l.append(nine(4) + nine(5));
      expect(l.droppedLines).toBe(2);
      expect(l.droppedBytes).toBe(18);
      expect(l.size).toBe(45);
      expect(l.readAll()).toMatch(/^\[dokku-mcp: 2 earlier lines \(0\.0 MB\) dropped: the build log keeps the last 0.0 MB\]\n/);
      expect(l.readAll().endsWith(nine(3) + nine(4) + nine(5))).toBe(true);
      // A poller's offset from before the drop still yields exactly the new lines.
      expect(l.readFrom(before.nextOffset)).toEqual({ text: nine(4) + nine(5), nextOffset: 45, skippedBytes: 0 });
    });

    test('reading from a dropped offset returns the marker, what is kept, and how much was skipped', () => {
      const l = log(30);
      for (let i = 1; i <= 5; i++) l.append(nine(i));
      const read = l.readFrom(0);
      expect(read.skippedBytes).toBe(18);
      expect(read.text.startsWith('[dokku-mcp: 2 earlier lines')).toBe(true);
      expect(read.text.endsWith(nine(3) + nine(4) + nine(5))).toBe(true);
      expect(read.nextOffset).toBe(45);
      expect(l.readFrom(10).skippedBytes).toBe(8);
    });

    test('memory stays bounded over many lines', () => {
      const l = log(90);
      for (let i = 0; i < 5000; i++) l.append(nine(i % 1000));
      expect(l.lineCount).toBe(10);
      expect(l.size).toBe(45_000);
      expect(l.tail(1)).toBe(nine(999));
    });
  });

  test('tail returns the last lines without the marker', () => {
    const l = log(30);
    for (let i = 1; i <= 5; i++) l.append(nine(i));
    expect(l.tail(2)).toBe(nine(4) + nine(5));
    expect(l.tail(100)).toBe(nine(3) + nine(4) + nine(5));
    expect(l.tail(0)).toBe('');
  });

  describe('UTF-8 storage', () => {
    test('offsets count bytes, and multi-byte text survives block boundaries intact', () => {
      const l = log();
      const line = 'déploiement réussi ✓ 🚀 日本語\n';
      const bytes = new TextEncoder().encode(line).length;
      let text = '';
      for (let i = 0; i < 2000; i++) text += line; // ~80 KB: crosses several 16 KB blocks at every alignment
      l.append(text);
      expect(l.size).toBe(bytes * 2000);
      expect(l.readAll()).toBe(text);
      expect(l.readFrom(bytes * 1999)).toEqual({ text: line, nextOffset: bytes * 2000, skippedBytes: 0 });
      expect(l.tail(3)).toBe(line + line + line);
    });

    test('an offset inside a multi-byte character starts at the next whole line', () => {
      const l = log();
      l.append('é\nok\n');
      expect(l.readFrom(1).text).toBe('ok\n');
    });

    test('storage stays near the cap however much passes through', () => {
      const cap = 256 * 1024;
      const l = log(cap);
      const line = 'x'.repeat(99) + '\n';
      for (let i = 0; i < 50_000; i++) l.append(line); // 5 MB through a 256 KB log
      expect(l.size).toBe(5_000_000);
      expect(l.size - l.droppedBytes).toBeLessThanOrEqual(cap);
      expect(l.retainedBytes).toBeLessThanOrEqual(cap + 3 * 16 * 1024);
      expect(l.tail(1)).toBe(line);
    });
  });

  describe('redactor fast path', () => {
    const counting = (skip: boolean) => {
      const calls: string[] = [];
      const redact = Object.assign((line: string) => (calls.push(line), line.replace('secret', '[REDACTED]')), { skips: () => skip });
      return { calls, redact };
    };

    test('a block the redactor vouches for is stored without per-line calls', () => {
      const { calls, redact } = counting(true);
      const l = log(1024, redact);
      expect(l.append('one\ntwo\nthr')).toBe(2);
      expect(calls).toEqual([]);
      expect(l.append('ee\n')).toBe(1);
      expect(l.readAll()).toBe('one\ntwo\nthree\n');
      expect(l.lineCount).toBe(3);
    });

    test('otherwise every line goes through the redactor', () => {
      const { calls, redact } = counting(false);
      const l = log(1024, redact);
      l.append('a secret\nb\n');
      expect(calls).toEqual(['a secret', 'b']);
      expect(l.readAll()).toBe('a [REDACTED]\nb\n');
    });

    test('CRLF output always takes the per-line path so CRs are stripped', () => {
      const { calls, redact } = counting(true);
      const l = log(1024, redact);
      l.append('x\r\ny\r\n');
      expect(calls).toEqual(['x', 'y']);
      expect(l.readAll()).toBe('x\ny\n');
    });
  });
});


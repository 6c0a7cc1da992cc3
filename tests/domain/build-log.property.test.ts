/**
 * Model-based property test of the build-log block store (fast-check): any sequence of appends (chunks cut anywhere,
 * multi-byte characters, CRLF, lines longer than a 16 KB block or than the cap), closes and reads (by byte offset,
 * tail, everything) answers exactly what a plain model of "whole lines, CR stripped, oldest dropped past the cap"
 * holds, byte for byte; and a poller following nextOffset sees every kept byte once, in order, with drops counted.
 */
import fc from 'fast-check';
import { BuildLog, type LineRedactor } from '../../src/domain/build-log.js';

/** A redactor that changes length (so offsets must follow the stored bytes) and vouches for blocks it would not touch. */
const redact: LineRedactor = Object.assign((line: string) => line.replace(/secret/g, '[R]'), {
  skips: (block: string) => !block.includes('secret'),
});

/** The documented behaviour, kept as plain bytes. */
class ModelLog {
  kept = Buffer.alloc(0);
  firstKept = 0;
  end = 0;
  lines: number[] = []; // absolute start offset of each kept line
  dropped = 0;
  pending = '';
  closed = false;

  constructor(
    readonly maxBytes: number,
    readonly redacting: boolean,
  ) {}

  append(chunk: string): void {
    if (this.closed || chunk === '') return;
    const parts = (this.pending + chunk).split('\n');
    this.pending = parts.pop()!;
    for (const line of parts) this.push(line);
    if (this.pending.length > this.maxBytes) {
      this.push(this.pending);
      this.pending = '';
    }
  }

  close(): void {
    if (this.closed) return;
    if (this.pending !== '') this.push(this.pending);
    this.pending = '';
    this.closed = true;
  }

  private push(raw: string): void {
    const clean = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const bytes = Buffer.from(`${this.redacting ? redact(clean) : clean}\n`, 'utf8');
    this.lines.push(this.end);
    this.kept = Buffer.concat([this.kept, bytes]);
    this.end += bytes.length;
    while (this.end - this.firstKept > this.maxBytes && this.lines.length > 1) {
      this.lines.shift();
      const next = this.lines[0]!;
      this.kept = this.kept.subarray(next - this.firstKept);
      this.firstKept = next;
      this.dropped++;
    }
  }

  text(from: number): string {
    return this.kept.subarray(from - this.firstKept).toString('utf8');
  }

  readFrom(since: number): { text: string; nextOffset: number; skippedBytes: number } {
    const offset = Math.max(0, Math.floor(since));
    if (offset >= this.end) return { text: '', nextOffset: Math.max(offset, this.end), skippedBytes: 0 };
    if (offset < this.firstKept) return { text: this.readAll(), nextOffset: this.end, skippedBytes: this.firstKept - offset };
    const start = this.lines.find((line) => line >= offset) ?? this.end;
    return { text: this.text(start), nextOffset: this.end, skippedBytes: 0 };
  }

  readAll(): string {
    const mb = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);
    const marker = this.dropped === 0 ? '' : `[dokku-mcp: ${this.dropped} earlier lines (${mb(this.firstKept)} MB) dropped: the build log keeps the last ${mb(this.maxBytes)} MB]\n`;
    return marker + this.text(this.firstKept);
  }

  tail(n: number): string {
    const count = Math.max(0, Math.floor(n));
    if (count === 0) return '';
    const start = this.lines[Math.max(0, this.lines.length - count)] ?? this.end;
    return this.text(start);
  }
}

/** Output pieces: ordinary text, multi-byte and astral characters, CRs, newlines, and long runs that cross blocks. */
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.constantFrom('\n', '\r\n', '\r', 'secret', 'é', '日本', '🚀', '\n\n') },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('x', 'é', '🚀'), fc.integer({ min: 1, max: 9000 })).map(([c, n]) => c.repeat(n)) },
);

type Step =
  | { op: 'append'; chunk: string }
  | { op: 'read'; offset: number }
  | { op: 'readLine'; index: number; delta: number }
  | { op: 'tail'; n: number }
  | { op: 'all' }
  | { op: 'close' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.array(piece, { minLength: 1, maxLength: 8 }).map((parts): Step => ({ op: 'append', chunk: parts.join('') })) },
  { weight: 3, arbitrary: fc.oneof(fc.nat({ max: 200_000 }), fc.double({ min: -10, max: 200_000, noNaN: true })).map((offset): Step => ({ op: 'read', offset })) },
  // At a kept line's start (or a byte either side of it), where a poller's offsets land.
  { weight: 3, arbitrary: fc.record({ index: fc.nat(), delta: fc.constantFrom(-1, 0, 0, 1) }).map((r): Step => ({ op: 'readLine', ...r })) },
  { weight: 1, arbitrary: fc.integer({ min: -2, max: 50 }).map((n): Step => ({ op: 'tail', n })) },
  { weight: 1, arbitrary: fc.constant<Step>({ op: 'all' }) },
  { weight: 1, arbitrary: fc.constant<Step>({ op: 'close' }) },
);

const capBytes = fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 16 * 1024 - 50, max: 40 * 1024 }), fc.constant(10 * 1024 * 1024));

describe('BuildLog against a model', () => {
  it('answers every append, tail and read by offset exactly as the model does', () => {
    fc.assert(
      fc.property(capBytes, fc.boolean(), fc.array(step, { maxLength: 40 }), (maxBytes, redacting, steps) => {
        const log = new BuildLog({ maxBytes, ...(redacting ? { redact } : {}) });
        const model = new ModelLog(maxBytes, redacting);
        for (const s of steps) {
          if (s.op === 'append') {
            log.append(s.chunk);
            model.append(s.chunk);
          } else if (s.op === 'close') {
            log.close();
            model.close();
          } else if (s.op === 'read') {
            expect(log.readFrom(s.offset)).toEqual(model.readFrom(s.offset));
          } else if (s.op === 'readLine') {
            const offset = (model.lines.length ? model.lines[s.index % model.lines.length]! : model.end) + s.delta;
            expect(log.readFrom(offset)).toEqual(model.readFrom(offset));
          } else if (s.op === 'tail') {
            expect(log.tail(s.n)).toBe(model.tail(s.n));
          } else {
            expect(log.readAll()).toBe(model.readAll());
          }
          expect({ size: log.size, droppedBytes: log.droppedBytes, lines: log.lineCount, dropped: log.droppedLines })
            .toEqual({ size: model.end, droppedBytes: model.firstKept, lines: model.lines.length, dropped: model.dropped });
        }
        // Storage stays within the cap: the blocks in use plus at most two spares.
        expect(log.retainedBytes).toBeLessThanOrEqual(Math.ceil(Math.max(maxBytes, model.end - model.firstKept) / (16 * 1024) + 3) * 16 * 1024);
      }),
      { numRuns: 150 },
    );
  });

  it('a poller following nextOffset gets every kept byte once and in order, and is told of every byte it missed', () => {
    fc.assert(
      fc.property(capBytes, fc.array(fc.tuple(fc.array(piece, { minLength: 1, maxLength: 6 }), fc.boolean()), { maxLength: 30 }), (maxBytes, rounds) => {
        const log = new BuildLog({ maxBytes });
        let offset = 0;
        let seen = 0; // bytes the poller read plus bytes it was told it missed
        for (const [parts, poll] of rounds) {
          log.append(parts.join(''));
          if (!poll) continue;
          const read = log.readFrom(offset);
          const marker = read.skippedBytes > 0 ? /^\[dokku-mcp: [^\n]*\n/.exec(read.text)?.[0] ?? '' : '';
          expect(read.skippedBytes === 0 || marker !== '').toBe(true);
          seen += read.skippedBytes + Buffer.byteLength(read.text.slice(marker.length), 'utf8');
          offset = read.nextOffset;
        }
        log.close();
        const last = log.readFrom(offset);
        const marker = last.skippedBytes > 0 ? /^\[dokku-mcp: [^\n]*\n/.exec(last.text)?.[0] ?? '' : '';
        seen += last.skippedBytes + Buffer.byteLength(last.text.slice(marker.length), 'utf8');
        expect(seen).toBe(log.size);
      }),
      { numRuns: 150 },
    );
  });
});

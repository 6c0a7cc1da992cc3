/**
 * The captured output of one deployment. Output arrives in chunks that may split lines; the log keeps only whole lines,
 * each passed through `redact` first, so the sanitizer never sees half a secret. A partial last line is held until it
 * completes or the log is closed.
 *
 * Size is capped (`maxBytes`, UTF-8): past the cap the oldest lines are dropped and reads say how much was. Offsets
 * are absolute byte positions in everything ever appended, so a poller's offset stays valid after a drop.
 *
 * Storage is UTF-8 in fixed-size blocks that are reused once the cap drops them, not one string per line: a 50 MB build
 * keeps about the cap in memory whatever the garbage collector does, instead of promoting every line to the old
 * generation only to drop it later.
 */
export interface BuildLogRead {
  /** Text from the requested offset (whole lines, each ending in "\n"). */
  readonly text: string;
  /** Pass this as the next `sinceOffset` to get only what is new. */
  readonly nextOffset: number;
  /** Bytes that were asked for but had already been dropped by the size cap. */
  readonly skippedBytes: number;
}

/** Redacts one line; `skips(block)` may say that a block of whole lines certainly needs nothing redacted. */
export type LineRedactor = ((line: string) => string) & { readonly skips?: (block: string) => boolean };

export interface BuildLogOptions {
  readonly maxBytes: number;
  readonly redact?: LineRedactor;
}

const BLOCK = 16 * 1024;

const megabytes = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);

/** The line a read starts with when the cap dropped the oldest part of a log (not counted in offsets). */
export function droppedLinesMarker(lines: number, bytes: number, maxBytes: number): string {
  return `[dokku-mcp: ${lines} earlier lines (${megabytes(bytes)} MB) dropped: the build log keeps the last ${megabytes(maxBytes)} MB]\n`;
}

/**
 * The line a read shows where a stored log has a hole (not counted in offsets): output the instance running the deploy
 * could not hand to the shared store before its own buffer (the cap) dropped it.
 */
export function gapMarker(bytes: number): string {
  const size = bytes >= 1024 * 1024 ? `${megabytes(bytes)} MB` : `${bytes} bytes`;
  return `[dokku-mcp: gap: ${size} of output lost here: the state store was unreachable for longer than the instance running the deploy could buffer]\n`;
}

const NEWLINE = 0x0a;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class BuildLog {
  private readonly blocks: Uint8Array[] = [];
  private readonly spare: Uint8Array[] = []; // dropped blocks kept for reuse (at most two)
  private blockBase = 0; // absolute offset of blocks[0][0]
  private firstKept = 0; // absolute offset of the first kept line
  private endOffset = 0;
  private linesAppended = 0;
  private droppedLineCount = 0;
  private pending = '';
  private closedFlag = false;

  constructor(private readonly options: BuildLogOptions) {
    if (!(options.maxBytes > 0)) throw new RangeError('BuildLog maxBytes must be positive');
  }

  /** Appends a chunk of raw output; returns the number of whole lines it completed. */
  append(chunk: string): number {
    if (this.closedFlag || chunk.length === 0) return 0;
    const text = this.pending + chunk;
    const end = text.lastIndexOf('\n') + 1;
    let added = 0;
    if (end > 0 && this.storesWhole(text, end)) {
      // Fast path: the whole run of lines is stored as it is, with no per-line work.
      added = this.pushLines(text.slice(0, end));
    } else {
      for (let from = 0, nl = text.indexOf('\n'); nl !== -1 && nl < end; from = nl + 1, nl = text.indexOf('\n', from)) {
        this.pushLine(text.slice(from, nl));
        added++;
      }
    }
    this.pending = text.slice(end);
    // A line that never ends must not grow without bound either.
    if (this.pending.length > this.options.maxBytes) {
      this.pushLine(this.pending);
      this.pending = '';
      added++;
    }
    return added;
  }

  /** A line of ours about the log (not output): a held partial line is ended first, so the note stands on its own. */
  appendLine(line: string): void {
    if (this.closedFlag) return;
    if (this.pending.length > 0) this.pushLine(this.pending);
    this.pending = '';
    this.append(`${line}\n`);
  }

  /** Flushes a held partial line; later appends are ignored. */
  close(): void {
    if (this.closedFlag) return;
    if (this.pending.length > 0) this.pushLine(this.pending);
    this.pending = '';
    this.closedFlag = true;
  }

  get closed(): boolean {
    return this.closedFlag;
  }
  /** Offset just past the last whole line: every byte ever appended. */
  get size(): number {
    return this.endOffset;
  }
  get lineCount(): number {
    return this.linesAppended - this.droppedLineCount;
  }
  get droppedLines(): number {
    return this.droppedLineCount;
  }
  get droppedBytes(): number {
    return this.firstKept;
  }
  /** Bytes of storage held (blocks in use and spares): what the cap bounds. */
  get retainedBytes(): number {
    return (this.blocks.length + this.spare.length) * BLOCK;
  }

  /** Everything still kept, with a leading marker when the cap dropped the oldest part. */
  readAll(): string {
    return this.marker() + this.text(this.firstKept, this.endOffset);
  }

  /** The last `n` lines (without the marker). */
  tail(n: number): string {
    let start = this.endOffset;
    for (let lines = Math.max(0, Math.floor(n)); lines > 0 && start > this.firstKept; lines--) {
      start = this.lineStartBefore(start - 1);
    }
    return this.text(start, this.endOffset);
  }

  /** Text appended at or after `sinceOffset` (whole lines only). An offset inside a line starts at that line's next one. */
  readFrom(sinceOffset: number): BuildLogRead {
    const offset = Math.max(0, Math.floor(sinceOffset));
    if (offset >= this.endOffset) return { text: '', nextOffset: Math.max(offset, this.endOffset), skippedBytes: 0 };
    if (offset < this.firstKept) {
      return { text: this.readAll(), nextOffset: this.endOffset, skippedBytes: this.firstKept - offset };
    }
    const start = offset === this.firstKept || this.byteAt(offset - 1) === NEWLINE ? offset : this.nextLineStart(offset);
    return { text: this.text(start, this.endOffset), nextOffset: this.endOffset, skippedBytes: 0 };
  }

  /**
   * The stored text from `from` (a line start, such as an earlier `size`), or from the oldest kept line when the cap
   * dropped what was there: what a copy of the log elsewhere still lacks, without any marker.
   */
  slice(from: number): { readonly start: number; readonly text: string } {
    const start = Math.min(Math.max(from, this.firstKept), this.endOffset);
    return { start, text: this.text(start, this.endOffset) };
  }

  private marker(): string {
    return this.droppedLineCount === 0 ? '' : droppedLinesMarker(this.droppedLineCount, this.firstKept, this.options.maxBytes);
  }

  /** Whole lines can be stored verbatim when there is no CR to strip and the redactor vouches for the block. */
  private storesWhole(text: string, end: number): boolean {
    const block = end === text.length ? text : text.slice(0, end);
    if (block.includes('\r')) return false;
    const redact = this.options.redact;
    return !redact || redact.skips?.(block) === true;
  }

  /** Stores a run of whole lines (ending in a newline) as it is; returns how many lines it held. */
  private pushLines(block: string): number {
    let lines = 0;
    for (let nl = block.indexOf('\n'); nl !== -1; nl = block.indexOf('\n', nl + 1)) lines++;
    this.write(block);
    this.linesAppended += lines;
    this.enforceCap();
    return lines;
  }

  private pushLine(raw: string): void {
    const clean = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    this.write((this.options.redact ? this.options.redact(clean) : clean) + '\n');
    this.linesAppended++;
    this.enforceCap();
  }

  private enforceCap(): void {
    while (this.endOffset - this.firstKept > this.options.maxBytes && this.lineCount > 1) {
      this.firstKept = this.nextLineStart(this.firstKept);
      this.droppedLineCount++;
    }
    while (this.blockBase + BLOCK <= this.firstKept) {
      const block = this.blocks.shift() as Uint8Array;
      if (this.spare.length < 2) this.spare.push(block);
      this.blockBase += BLOCK;
    }
  }

  private write(text: string): void {
    let rest = text;
    while (rest.length > 0) {
      const block = this.blockFor(this.endOffset);
      const position = (this.endOffset - this.blockBase) % BLOCK;
      const { read, written } = encoder.encodeInto(rest, block.subarray(position));
      this.endOffset += written;
      if (read > 0) {
        rest = rest.slice(read);
        continue;
      }
      // The next code point does not fit in what is left of this block: split its bytes across the boundary.
      const units = (rest.codePointAt(0) as number) > 0xffff ? 2 : 1;
      for (const byte of encoder.encode(rest.slice(0, units))) {
        const target = this.blockFor(this.endOffset);
        target[(this.endOffset - this.blockBase) % BLOCK] = byte;
        this.endOffset++;
      }
      rest = rest.slice(units);
    }
  }

  /** The block holding `offset` (at most one past the last), taken from the spares or made. */
  private blockFor(offset: number): Uint8Array {
    const index = Math.floor((offset - this.blockBase) / BLOCK);
    if (index === this.blocks.length) this.blocks.push(this.spare.pop() ?? new Uint8Array(BLOCK));
    return this.blocks[index] as Uint8Array;
  }

  private byteAt(offset: number): number {
    const relative = offset - this.blockBase;
    return (this.blocks[Math.floor(relative / BLOCK)] as Uint8Array)[relative % BLOCK] as number;
  }

  /** The offset just after the next newline at or after `offset`. */
  private nextLineStart(offset: number): number {
    let at = offset;
    while (at < this.endOffset && this.byteAt(at) !== NEWLINE) at++;
    return Math.min(at + 1, this.endOffset);
  }

  /** The start of the line that contains `offset` (the byte after the previous newline). */
  private lineStartBefore(offset: number): number {
    let at = offset;
    while (at > this.firstKept && this.byteAt(at - 1) !== NEWLINE) at--;
    return at;
  }

  private text(from: number, to: number): string {
    if (to <= from) return '';
    const parts: Uint8Array[] = [];
    for (let at = from; at < to; ) {
      const relative = at - this.blockBase;
      const position = relative % BLOCK;
      const take = Math.min(BLOCK - position, to - at);
      parts.push((this.blocks[Math.floor(relative / BLOCK)] as Uint8Array).subarray(position, position + take));
      at += take;
    }
    if (parts.length === 1) return decoder.decode(parts[0]);
    const joined = new Uint8Array(to - from);
    let position = 0;
    for (const part of parts) {
      joined.set(part, position);
      position += part.length;
    }
    return decoder.decode(joined);
  }
}

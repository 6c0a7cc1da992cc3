/**
 * The captured output of one deployment. Output arrives in chunks that may split lines; the log keeps only whole lines,
 * each passed through `redact` first, so the sanitizer never sees half a secret. A partial last line is held until it
 * completes or the log is closed.
 *
 * Size is capped (`maxChars`): past the cap the oldest lines are dropped and reads say how much was. Offsets are
 * absolute character positions in everything ever appended, so a poller's offset stays valid after a drop.
 */
export interface BuildLogRead {
  /** Text from the requested offset (whole lines, each ending in "\n"). */
  readonly text: string;
  /** Pass this as the next `sinceOffset` to get only what is new. */
  readonly nextOffset: number;
  /** Characters that were asked for but had already been dropped by the size cap. */
  readonly skippedChars: number;
}

export interface BuildLogOptions {
  readonly maxChars: number;
  readonly redact?: (line: string) => string;
}

export class BuildLog {
  private readonly lines: string[] = [];
  private readonly starts: number[] = []; // absolute offset of each kept line
  private head = 0; // index of the first kept line (dropped lines are compacted lazily)
  private pending = '';
  private endOffset = 0;
  private keptChars = 0;
  private droppedLineCount = 0;
  private droppedCharCount = 0;
  private closedFlag = false;

  constructor(private readonly options: BuildLogOptions) {
    if (!(options.maxChars > 0)) throw new RangeError('BuildLog maxChars must be positive');
  }

  /** Appends a chunk of raw output; returns the number of whole lines it completed. */
  append(chunk: string): number {
    if (this.closedFlag || chunk.length === 0) return 0;
    const text = this.pending + chunk;
    let from = 0;
    let added = 0;
    for (let nl = text.indexOf('\n', from); nl !== -1; nl = text.indexOf('\n', from)) {
      this.pushLine(text.slice(from, nl));
      from = nl + 1;
      added++;
    }
    this.pending = text.slice(from);
    // A line that never ends must not grow without bound either.
    if (this.pending.length > this.options.maxChars) {
      this.pushLine(this.pending);
      this.pending = '';
      added++;
    }
    return added;
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
  /** Offset just past the last whole line. */
  get size(): number {
    return this.endOffset;
  }
  get lineCount(): number {
    return this.lines.length - this.head;
  }
  get droppedLines(): number {
    return this.droppedLineCount;
  }
  get droppedChars(): number {
    return this.droppedCharCount;
  }

  /** Everything still kept, with a leading marker when the cap dropped the oldest part. */
  readAll(): string {
    return this.marker() + this.kept(this.head).join('');
  }

  /** The last `n` lines (without the marker). */
  tail(n: number): string {
    const from = Math.max(this.head, this.lines.length - Math.max(0, Math.floor(n)));
    return this.kept(from).join('');
  }

  /** Text appended at or after `sinceOffset` (whole lines only). An offset inside a line starts at that line's next one. */
  readFrom(sinceOffset: number): BuildLogRead {
    const firstKept = this.endOffset - this.keptChars;
    const offset = Math.max(0, Math.floor(sinceOffset));
    if (offset >= this.endOffset) return { text: '', nextOffset: Math.max(offset, this.endOffset), skippedChars: 0 };
    if (offset < firstKept) {
      return { text: this.marker() + this.kept(this.head).join(''), nextOffset: this.endOffset, skippedChars: firstKept - offset };
    }
    const index = this.firstLineAtOrAfter(offset);
    return { text: this.kept(index).join(''), nextOffset: this.endOffset, skippedChars: 0 };
  }

  private marker(): string {
    if (this.droppedLineCount === 0) return '';
    const mb = (this.droppedCharCount / (1024 * 1024)).toFixed(1);
    return `[dokku-mcp: ${this.droppedLineCount} earlier lines (${mb} MB) dropped: the build log keeps the last ${(
      this.options.maxChars /
      (1024 * 1024)
    ).toFixed(0)} MB]\n`;
  }

  private kept(from: number): string[] {
    return this.lines.slice(from);
  }

  private firstLineAtOrAfter(offset: number): number {
    let lo = this.head;
    let hi = this.lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.starts[mid] as number) < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private pushLine(raw: string): void {
    const clean = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const line = (this.options.redact ? this.options.redact(clean) : clean) + '\n';
    this.lines.push(line);
    this.starts.push(this.endOffset);
    this.endOffset += line.length;
    this.keptChars += line.length;
    while (this.keptChars > this.options.maxChars && this.lines.length - this.head > 1) {
      const dropped = this.lines[this.head] as string;
      this.keptChars -= dropped.length;
      this.droppedCharCount += dropped.length;
      this.droppedLineCount++;
      this.head++;
    }
    // Compact once the dropped prefix is large, so memory stays proportional to the cap.
    if (this.head > 1024 && this.head * 2 > this.lines.length) {
      this.lines.splice(0, this.head);
      this.starts.splice(0, this.head);
      this.head = 0;
    }
  }
}

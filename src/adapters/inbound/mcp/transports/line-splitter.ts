/** One newline-delimited message, or the report that one was too long and was thrown away. */
export type SplitLine =
  | { readonly kind: 'line'; readonly text: string }
  /** `head`: the line's first bytes, enough to read a leading `"id"`; `bytes`: how long it was (at least). */
  | { readonly kind: 'oversized'; readonly bytes: number; readonly head: string };

const HEAD_BYTES = 512;
const NEWLINE = 0x0a;

/**
 * Splits a byte stream into lines of at most `maxBytes`, holding at most `maxBytes` at any time. The SDK's ReadBuffer
 * throws once its buffer passes its limit, and its transport then closes: one oversized message ended the session.
 * Here an oversized line is skipped up to its newline (its bytes are counted, not kept) and reported, and the lines
 * after it are read as usual.
 */
export class BoundedLineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Set while skipping the rest of an oversized line. */
  private skipping: { bytes: number; head: string } | undefined;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): SplitLine[] {
    const out: SplitLine[] = [];
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      const piece = chunk.subarray(start, end);
      if (this.skipping) {
        this.skipping.bytes += piece.length;
      } else if (this.pendingBytes + piece.length > this.maxBytes) {
        const head = Buffer.concat([...this.pending, piece.subarray(0, HEAD_BYTES)]).subarray(0, HEAD_BYTES).toString('utf8');
        this.skipping = { bytes: this.pendingBytes + piece.length, head };
        this.pending = [];
        this.pendingBytes = 0;
      } else if (piece.length > 0) {
        this.pending.push(piece);
        this.pendingBytes += piece.length;
      }
      if (newline === -1) break;
      out.push(this.endLine());
      start = newline + 1;
    }
    return out;
  }

  private endLine(): SplitLine {
    if (this.skipping) {
      const { bytes, head } = this.skipping;
      this.skipping = undefined;
      return { kind: 'oversized', bytes, head };
    }
    const text = Buffer.concat(this.pending).toString('utf8').replace(/\r$/, '');
    this.pending = [];
    this.pendingBytes = 0;
    return { kind: 'line', text };
  }
}

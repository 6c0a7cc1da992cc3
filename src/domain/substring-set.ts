/**
 * Does a text contain any of a fixed set of substrings? The sanitizer asks it of every log line, and almost every line
 * holds none of them, so this is the whole cost of most lines: one native UTF-8 encoding of the text into a reused
 * buffer, then one pass over its bytes, with no allocation. (Reading a typed array is about twice as fast as
 * charCodeAt; a regex alternation of this many words, or a lower-cased copy, costs several times more than the pass.)
 *
 * The pass reads the bytes two at a time, at even offsets. Each needle is anchored at two of its pairs of bytes, one at
 * an even offset in it and one at an odd one (the rarest such pairs in log text), so wherever it starts one of its
 * anchors is read. A table by pair (both cases of a case-blind needle's letters) says which anchors start so; the
 * bytes just before and after the pair are checked against the anchors' (a bit mask each) before the needles are
 * compared, exactly or ASCII-case-blind. A pair shared with ordinary text costs a look, never a wrong answer.
 * Matching UTF-8 bytes is matching the text: UTF-8 is self-synchronizing, so a well-formed needle (no lone surrogate)
 * is in the text exactly when its bytes are in the text's bytes; a needle with a lone surrogate is looked for with
 * includes instead. tests/domain/sanitizer-prefilter.property.test.ts checks it against includes.
 */
export interface Needle {
  readonly text: string;
  /** Matches ASCII letters in either case (the text of a case-blind needle is ASCII, given in lower case). */
  readonly caseBlind?: boolean;
  /** Looked for only when `foundIn` is asked to (one set serves a question with these needles and one without). */
  readonly secondary?: boolean;
}

interface Encoded {
  readonly bytes: Uint8Array;
  readonly caseBlind: boolean;
  readonly secondary: boolean;
}

const EVERY_BYTE = Array.from({ length: 256 }, (_, byte) => byte);

const encoder = new TextEncoder();
/** Texts longer than this (or twice the longest needle) are scanned in overlapping pieces of that many code units. */
const PIECE = 8192;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Reused by every scan (scans are synchronous): a UTF-16 code unit is at most three UTF-8 bytes, and a zero byte after
 * the text completes its last pair. Read as bytes to compare, and as 16-bit pairs to scan.
 */
const LEAD = 2;
let scratch = new ArrayBuffer(LEAD + 3 * PIECE + 2);
/** The text's bytes start LEAD bytes in (zeros before them: the byte "before" the first is always there to read). */
let scratchLead = new Uint8Array(scratch);
let scratchBytes = new Uint8Array(scratch, LEAD);
let scratchPairs = new Uint16Array(scratch, LEAD);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Two bytes as the 16-bit value they are read as. */
const pairOf = (first: number, second: number): number => (LITTLE_ENDIAN ? (second << 8) | first : (first << 8) | second);
const isUpper = (byte: number): boolean => byte >= 65 && byte <= 90;
/** Both cases of an ASCII letter of a case-blind needle; any other byte as it is. */
const casesOf = (byte: number, caseBlind: boolean): number[] => (caseBlind && byte >= 97 && byte <= 122 ? [byte, byte - 32] : [byte]);

/**
 * How common a byte is in log text, roughly (English letter frequencies, in per cent; blanks, digits and the usual
 * punctuation; the rest rare): a needle is looked for at its rarest pairs of bytes, so that the table is hit seldom.
 * Only speed depends on it.
 */
const LETTERS = 'etaoinshrdlcumwfgypbvkjxqz';
function commonness(byte: number): number {
  const letter = LETTERS.indexOf(String.fromCharCode(byte | 32));
  if (letter >= 0 && ((byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122))) return 26 - letter;
  if (byte === 32) return 30;
  if (byte >= 48 && byte <= 57) return 15;
  return '/.-:"=,'.includes(String.fromCharCode(byte)) ? 12 : 1;
}

interface Anchor {
  readonly needle: Encoded;
  /** Where in the needle its pair is (-1: the pair's second byte is the needle's first). */
  readonly offset: number;
}

export class SubstringSet {
  /** By a pair of bytes (as read): 0, or 1 + the index of the anchors that start so in `buckets`. */
  private readonly entries = new Uint16Array(1 << 16);
  private readonly buckets: Anchor[][] = [];
  /**
   * By bucket: the bytes (their low five bits, a bit each) that may follow the pair and precede it, for one of its
   * anchors' needles to be there; all bits where a needle has no byte there. A cheap look at the bytes around the pair
   * turns away most of the pairs that ordinary text shares with a needle ("be" of "kube", "-p" of "kube-probe").
   */
  private nextBytes = new Int32Array(0);
  private previousBytes = new Int32Array(0);
  /** Needles with a lone surrogate (their UTF-8 form would stand for U+FFFD): looked for as they are. */
  private readonly odd: Needle[] = [];
  /** The code units of a piece, and how far pieces overlap: the longest needle less one, so none falls between two. */
  private readonly piece: number;
  private readonly overlap: number;

  constructor(needles: readonly Needle[]) {
    let longest = 1;
    for (const needle of needles) {
      if (needle.text === '') throw new Error('a SubstringSet needle is never empty');
      if (needle.caseBlind && !/^[\x00-\x40\x5b-\x7f]*$/.test(needle.text)) {
        throw new Error(`a case-blind needle is ASCII, given in lower case: ${JSON.stringify(needle.text)}`);
      }
      longest = Math.max(longest, needle.text.length);
      if (LONE_SURROGATE.test(needle.text)) {
        this.odd.push(needle);
        continue;
      }
      const bytes = encoder.encode(needle.text);
      const encoded: Encoded = { bytes, caseBlind: needle.caseBlind === true, secondary: needle.secondary === true };
      const cases = (at: number): number[] => casesOf(bytes[at] as number, encoded.caseBlind);
      // One pair at an even offset in the needle and one at an odd one: wherever the needle starts, one of them is
      // read (the scan reads the pairs at even offsets of the text). Three bytes give both (offsets 0 and 1); a
      // shorter needle is anchored at every pair that starts with it, and at every pair that its first byte ends.
      const even = bytes.length >= 2 ? this.rarestPair(bytes, 0) : 0;
      this.anchor(encoded, even, cases(even), bytes.length >= 2 ? cases(even + 1) : EVERY_BYTE);
      if (bytes.length >= 3) {
        const odd = this.rarestPair(bytes, 1);
        this.anchor(encoded, odd, cases(odd), cases(odd + 1));
      } else {
        this.anchor(encoded, -1, EVERY_BYTE, cases(0));
      }
    }
    this.followers();
    this.overlap = longest - 1;
    this.piece = Math.max(PIECE, 2 * longest);
    if (scratch.byteLength < LEAD + 3 * this.piece + 2) {
      scratch = new ArrayBuffer(LEAD + 3 * this.piece + 2);
      scratchLead = new Uint8Array(scratch);
      scratchBytes = new Uint8Array(scratch, LEAD);
      scratchPairs = new Uint16Array(scratch, LEAD);
    }
  }

  private followers(): void {
    const ALL = -1;
    const bit = (byte: number | undefined): number => (byte === undefined ? ALL : 1 << (byte & 31));
    this.nextBytes = new Int32Array(this.buckets.length + 1);
    this.previousBytes = new Int32Array(this.buckets.length + 1);
    this.buckets.forEach((anchors, index) => {
      for (const { needle, offset } of anchors) {
        this.nextBytes[index + 1] |= bit(needle.bytes[offset + 2]);
        this.previousBytes[index + 1] |= offset >= 1 ? bit(needle.bytes[offset - 1]) : ALL;
      }
    });
  }

  private rarestPair(bytes: Uint8Array, parity: number): number {
    let best = parity;
    const score = (at: number): number => commonness(bytes[at] as number) * commonness(bytes[at + 1] as number);
    for (let at = parity; at + 1 < bytes.length; at += 2) if (score(at) < score(best)) best = at;
    return best;
  }

  private anchor(needle: Encoded, offset: number, firsts: readonly number[], seconds: readonly number[]): void {
    for (const first of firsts) {
      for (const second of seconds) {
        const pair = pairOf(first, second);
        if (this.entries[pair] === 0) this.entries[pair] = this.buckets.push([]);
        (this.buckets[(this.entries[pair] as number) - 1] as Anchor[]).push({ needle, offset });
      }
    }
  }

  /** True when `text` contains at least one of the needles (the secondary ones counted only `withSecondary`). */
  foundIn(text: string, withSecondary = false): boolean {
    if (this.odd.length > 0 && this.odd.some((needle) => (withSecondary || !needle.secondary) && text.includes(needle.text))) return true;
    const piece = this.piece;
    if (text.length <= piece) return this.inBytes(text, withSecondary);
    // Each occurrence lies whole in one piece; a piece's edge may cut a surrogate pair, which no well-formed needle
    // starts or ends with.
    for (let start = 0; ; start += piece - this.overlap) {
      if (this.inBytes(text.slice(start, start + piece), withSecondary)) return true;
      if (start + piece >= text.length) return false;
    }
  }

  /**
   * The bytes are read two at a time, at even offsets: a needle (three bytes at least) that starts at an even offset
   * has its first two bytes in one such pair, one that starts at an odd offset its second and third. So half the reads
   * of a byte-by-byte scan, independent of each other, and a closer look only where a pair is in the table.
   */
  private inBytes(text: string, withSecondary: boolean): boolean {
    const bytes = scratchBytes;
    const lead = scratchLead;
    const words = scratchPairs;
    const length = encoder.encodeInto(text, bytes).written;
    bytes[length] = 0;
    const entries = this.entries;
    const half = (length + 1) >> 1;
    const nextBytes = this.nextBytes;
    const previousBytes = this.previousBytes;
    for (let k = 0; k < half; k++) {
      const entry = entries[words[k] as number] as number;
      if (entry === 0) continue;
      // Past the end this reads what an earlier text left, before the start a zero: either can only send the pair on to
      // anyAt, which checks bounds, or turn it away where no needle fits anyway.
      if (((nextBytes[entry] as number) & (1 << ((bytes[2 * k + 2] as number) & 31))) === 0) continue;
      if (((previousBytes[entry] as number) & (1 << ((lead[2 * k + LEAD - 1] as number) & 31))) === 0) continue;
      if (this.anyAt(bytes, length, 2 * k, this.buckets[entry - 1] as Anchor[], withSecondary)) return true;
    }
    return false;
  }

  /** Does one of these anchors' needles start where its pair would be at `pairAt`? */
  private anyAt(bytes: Uint8Array, length: number, pairAt: number, anchors: readonly Anchor[], withSecondary: boolean): boolean {
    for (const { needle, offset } of anchors) {
      const at = pairAt - offset;
      if (needle.secondary && !withSecondary) continue;
      if (at >= 0 && at + needle.bytes.length <= length && this.startsAt(bytes, at, needle)) return true;
    }
    return false;
  }

  private startsAt(bytes: Uint8Array, at: number, needle: Encoded): boolean {
    const want = needle.bytes;
    let k = 0;
    if (needle.caseBlind) {
      while (k < want.length) {
        const byte = bytes[at + k] as number;
        if ((isUpper(byte) ? byte + 32 : byte) !== want[k]) return false;
        k++;
      }
      return true;
    }
    while (k < want.length && bytes[at + k] === want[k]) k++;
    return k === want.length;
  }
}

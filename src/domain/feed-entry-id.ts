/**
 * Ids of a shared runtime-log feed's entries: `<ms>-<seq>` (a Redis stream entry id), increasing in append order.
 * They are what SSE clients get as `id:` and send back as Last-Event-ID, so any instance can resume them.
 */
const ENTRY_ID = /^(\d{1,15})-(\d{1,20})$/;

export interface FeedEntryId {
  readonly ms: bigint;
  readonly seq: bigint;
}

export function parseFeedEntryId(id: string): FeedEntryId | undefined {
  const match = ENTRY_ID.exec(id);
  return match ? { ms: BigInt(match[1] as string), seq: BigInt(match[2] as string) } : undefined;
}

/** Negative, zero or positive as `a` comes before, is, or comes after `b` (both well-formed). */
export function compareFeedEntryIds(a: string, b: string): number {
  const x = parseFeedEntryId(a);
  const y = parseFeedEntryId(b);
  if (!x || !y) throw new RangeError(`not a feed entry id: ${x ? b : a}`);
  if (x.ms !== y.ms) return x.ms < y.ms ? -1 : 1;
  return x.seq === y.seq ? 0 : x.seq < y.seq ? -1 : 1;
}

/** The greatest id before `id` ("0-0" has none: itself): resuming after it delivers `id` next. */
export function feedEntryIdBefore(id: string): string {
  const parsed = parseFeedEntryId(id);
  if (!parsed || (parsed.ms === 0n && parsed.seq === 0n)) return '0-0';
  if (parsed.seq > 0n) return `${parsed.ms}-${parsed.seq - 1n}`;
  return `${parsed.ms - 1n}-18446744073709551615`;
}

/** The id before any entry. */
export const FEED_START = '0-0';

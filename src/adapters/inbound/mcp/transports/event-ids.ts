import { randomBytes } from 'node:crypto';

/**
 * Event ids of the BoundedEventStore: `<session tag>.<seq>.<stream seq>.<stream id>`, e.g.
 * `9f3a0c1b2d4e.42.17._GET_stream`.
 * - The tag is random per session store (12 hex digits): an id from another session, or from an earlier session that
 *   had the same id, is recognised as foreign and refused, never looked up among this session's events.
 * - `seq` numbers every event of the session (all streams) in the order stored; eviction drops the oldest first, so
 *   "was anything after this id evicted?" is a comparison of numbers, and an evicted id is told apart from garbage.
 * - `stream seq` counts the events of that one stream (1, 2, 3...): on the GET stream, a gap or a repeat is visible to
 *   whoever reads the ids (the resumption tests check exactly that).
 * - The stream id comes last (URI-encoded), so a resume knows which stream to reopen even when the event is gone.
 */
export interface EventIdParts {
  readonly tag: string;
  readonly seq: number;
  readonly streamSeq: number;
  readonly streamId: string;
}

const TAG = /^[0-9a-f]{12}$/;
// Numbers start at 1; 0 is "before the first event" (BoundedEventStore.cursorForFreshGet).
const NUMBER = '(0|[1-9]\\d{0,14})';
const EVENT_ID = new RegExp(`^([0-9a-f]{12})\\.${NUMBER}\\.${NUMBER}\\.(.+)$`);
// A Last-Event-ID is a request header the client controls: anything this long is not one of ours.
const MAX_EVENT_ID_LENGTH = 256;

export function newSessionTag(): string {
  return randomBytes(6).toString('hex');
}

export function formatEventId(parts: EventIdParts): string {
  if (!TAG.test(parts.tag)) throw new RangeError(`not a session tag: ${parts.tag}`);
  return `${parts.tag}.${parts.seq}.${parts.streamSeq}.${encodeURIComponent(parts.streamId)}`;
}

/** The parts of an id this store issued, or undefined for anything else (never throws). */
export function parseEventId(id: string): EventIdParts | undefined {
  if (id.length > MAX_EVENT_ID_LENGTH) return undefined;
  const match = EVENT_ID.exec(id);
  if (!match) return undefined;
  let streamId: string;
  try {
    streamId = decodeURIComponent(match[4] as string);
  } catch {
    return undefined;
  }
  return { tag: match[1] as string, seq: Number(match[2]), streamSeq: Number(match[3]), streamId };
}

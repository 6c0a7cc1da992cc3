import type { EventId, EventStore, StreamId } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { formatEventId, newSessionTag, parseEventId } from './event-ids.js';
import { GET_STREAM_ID, SessionEvents, type StoredEvent } from './session-events.js';

export interface EventStoreLimits {
  readonly maxEventsPerSession: number;
  readonly maxEvents: number;
  /** Byte budgets; by default {@link BYTES_PER_EVENT} for every event the counts allow. */
  readonly maxBytesPerSession?: number;
  readonly maxBytes?: number;
  /** The largest message kept, in bytes of JSON (default {@link MAX_EVENT_BYTES}, at most the session's budget). */
  readonly maxEventBytes?: number;
}

/**
 * The byte budget an event count buys: what a resources/updated or log notification costs is a tenth of it, so the
 * counts are what bounds a session that only receives notifications; tool results (also stored: each POST's SSE
 * stream is resumable too) are what the bytes bound.
 */
export const BYTES_PER_EVENT = 1024;
/**
 * A message larger than this is not kept (one 10 MB build-log read would otherwise push out every other event): its
 * place is kept, and a resume past it is reported as a loss. Notifications are far smaller; a tool result this big
 * is rare, and its request then fails by timeout rather than silently.
 */
export const MAX_EVENT_BYTES = 64 * 1024;
/** What an event costs besides its JSON: the record, its id string, the array slot. */
const EVENT_OVERHEAD = 200;

/**
 * The Streamable HTTP event store: what the server sent on each session's streams, kept so that a client that lost a
 * stream reconnects with `Last-Event-ID` and misses nothing still stored. Memory is bounded by event counts and bytes,
 * per session and over all sessions; the oldest go first. Costs are counted in characters of JSON (bytes for ASCII;
 * V8 holds other text at two bytes a character, so true memory stays under twice the budget).
 *
 * Unlike the SDK's example InMemoryEventStore, this one resumes the standalone GET stream: that store cuts the stream id
 * out of the event id at the first `_`, which for `_GET_stream` gives '' (nothing replayed, and the reopened stream is
 * registered under '' so later notifications reach no stream).
 *
 * It implements no `getStreamIdForEventId`: with it the SDK answers 409 to a resume while it still holds the old
 * stream (a half-open connection the server has not noticed yet), and the client gives up after its retries; without
 * it the SDK closes the old stream and the resume wins.
 */
export class BoundedEventStore {
  private readonly sessions = new Map<string, SessionEvents>();
  private oldest?: StoredEvent;
  private newest?: StoredEvent;
  private count = 0;
  private totalBytes = 0;
  private readonly maxBytesPerSession: number;
  private readonly maxBytes: number;
  private readonly maxEventChars: number;

  constructor(private readonly limits: EventStoreLimits) {
    for (const [name, value] of Object.entries(limits)) {
      if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
        throw new RangeError(`event store: ${name} must be a whole number >= 1, not ${String(value)}`);
      }
    }
    this.maxBytesPerSession = limits.maxBytesPerSession ?? limits.maxEventsPerSession * BYTES_PER_EVENT;
    this.maxBytes = limits.maxBytes ?? limits.maxEvents * BYTES_PER_EVENT;
    const budget = Math.min(this.maxBytesPerSession, this.maxBytes) - EVENT_OVERHEAD;
    this.maxEventChars = Math.max(0, Math.min(limits.maxEventBytes ?? MAX_EVENT_BYTES, budget));
  }

  /** Events stored, over all sessions. */
  get size(): number {
    return this.count;
  }

  /** Their cost in bytes (see the class comment). */
  get bytes(): number {
    return this.totalBytes;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  sessionSize(sessionId: string): number {
    return this.sessions.get(sessionId)?.count ?? 0;
  }

  /**
   * The SDK EventStore for one session; onResumeLoss is called when a client resumes from an id of that session after
   * which something is gone (evicted, too large to keep) or that is newer than anything issued. A second store for the
   * same session id starts afresh: ids of the first are then foreign.
   */
  forSession(sessionId: string, onResumeLoss: () => void): EventStore {
    this.dropSession(sessionId);
    const session = new SessionEvents(newSessionTag(), onResumeLoss);
    this.sessions.set(sessionId, session);
    return {
      storeEvent: async (streamId, message) => this.store(session, streamId, message),
      replayEventsAfter: async (lastEventId, { send }) => {
        const refusal = refusalOf(session, lastEventId);
        if (refusal) throw new Error(refusal);
        const { seq, streamId } = parseEventId(lastEventId)!;
        // Remember where the client resumed its GET stream from (but not our own "before the first" cursor: a client
        // that never resumes would be replayed everything at each reconnect).
        if (streamId === GET_STREAM_ID) session.getOpened = true;
        if (streamId === GET_STREAM_ID && seq > 0) session.getCursor = lastEventId;
        await session.replay(seq, streamId, send);
        return streamId;
      },
    };
  }

  /**
   * Why a GET with this Last-Event-ID cannot resume (not an id of ours, or another session's), or undefined when it
   * can. The SDK answers a refused replay with a bare 500; an HTTP layer that asks first can answer 400 with this text.
   */
  resumeRefusal(sessionId: string, lastEventId: string): string | undefined {
    const session = this.sessions.get(sessionId);
    return session ? refusalOf(session, lastEventId) : ENDED;
  }

  /**
   * The Last-Event-ID to give a GET of this session that came without one, or undefined to let it open a fresh stream.
   * The SDK replays nothing on a fresh GET stream, so two cases would lose notifications without a word:
   * - the session's first GET comes after notifications were sent (the client subscribed before opening it): the
   *   answer is "before the first event", and they are replayed;
   * - a resumed GET stream is cut before it delivered an event: the SDK client (1.32.2) then forgets its cursor and
   *   reconnects without one; the answer is the id it last resumed from, so nothing since is missed.
   * A client that never resumes is left alone after its first GET (a replay would only repeat what it had); one that
   * resumed once and later reconnects without an id is replayed from that resume, which may repeat events.
   */
  cursorForFreshGet(sessionId: string): string | undefined {
    const session = this.sessions.get(sessionId);
    if (!session) return undefined;
    const first = !session.getOpened;
    session.getOpened = true;
    const cursor = session.getCursor ?? (first ? formatEventId({ tag: session.tag, seq: 0, streamSeq: 0, streamId: GET_STREAM_ID }) : undefined);
    const newest = session.streams.get(GET_STREAM_ID)?.newestSeq ?? 0;
    return cursor !== undefined && newest > parseEventId(cursor)!.seq ? cursor : undefined;
  }

  dropSession(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    this.sessions.delete(sessionId);
    session.dropped = true;
    session.dropForwarding();
    while (session.count > 0) this.evictOldestOf(session);
  }

  private store(session: SessionEvents, streamId: StreamId, message: JSONRPCMessage): EventId {
    const stream = session.stream(streamId);
    const seq = ++session.lastSeq;
    const id = formatEventId({ tag: session.tag, seq, streamSeq: ++stream.lastStreamSeq, streamId });
    stream.newestSeq = seq;
    if (session.dropped) return id; // a late message of a closed session: it has no stream to be replayed on
    // The SDK stores `{}` as the priming event of each POST stream: an id to resume from, with nothing to replay.
    const priming = !('jsonrpc' in message);
    if (!priming) session.forward(streamId, id, message);
    const json = priming ? undefined : this.encode(message);
    const tooLarge = !priming && json === undefined;
    const event: StoredEvent = { session, stream, id, seq, json, tooLarge, cost: EVENT_OVERHEAD + (json?.length ?? 0) };
    session.push(event);
    event.older = this.newest;
    if (this.newest) this.newest.newer = event;
    else this.oldest = event;
    this.newest = event;
    this.count++;
    this.totalBytes += event.cost;
    while (session.count > this.limits.maxEventsPerSession || session.bytes > this.maxBytesPerSession) this.evictOldestOf(session);
    while (this.oldest && (this.count > this.limits.maxEvents || this.totalBytes > this.maxBytes)) this.evictOldestOf(this.oldest.session);
    return id;
  }

  /** The message's JSON, or undefined when it is too large to keep (or cannot be serialised: the SDK fails it too). */
  private encode(message: JSONRPCMessage): string | undefined {
    try {
      const json = JSON.stringify(message);
      return json.length <= this.maxEventChars ? json : undefined;
    } catch {
      return undefined;
    }
  }

  /** A session's oldest event is also the oldest of the store's that belongs to it, so both bounds evict through here. */
  private evictOldestOf(session: SessionEvents): void {
    const event = session.shift();
    if (event.older) event.older.newer = event.newer;
    else this.oldest = event.newer;
    if (event.newer) event.newer.older = event.older;
    else this.newest = event.older;
    event.older = event.newer = undefined;
    this.count--;
    this.totalBytes -= event.cost;
  }
}

const ENDED = 'this session has ended: start a new one (POST initialize).';

/** Ids that are not ours, or another session's, are refused: they are never looked up among this session's events. */
function refusalOf(session: SessionEvents, lastEventId: string): string | undefined {
  const parts = parseEventId(lastEventId);
  if (!parts) {
    return 'the Last-Event-ID header is not an event id this server gave: reconnect without it (the stream then starts from now).';
  }
  if (session.dropped) return ENDED;
  if (parts.tag !== session.tag) {
    return 'the Last-Event-ID header names an event of another session: resume only with ids this session\'s streams gave, or reconnect without it.';
  }
  return undefined;
}

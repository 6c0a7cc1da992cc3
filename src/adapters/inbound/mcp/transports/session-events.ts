import type { EventId, StreamId } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** The SDK's name for a session's standalone GET stream (webStandardStreamableHttp.js, `_standaloneSseStreamId`). */
export const GET_STREAM_ID: StreamId = '_GET_stream';

export type Send = (eventId: EventId, message: JSONRPCMessage) => Promise<void>;

export interface StreamRecord {
  readonly id: StreamId;
  lastStreamSeq: number;
  /** The session seq of its newest event. */
  newestSeq: number;
  stored: number;
  /** Events of this stream up to this session seq may have been evicted (the highest one that was). */
  evictedThrough: number;
}

export interface StoredEvent {
  readonly session: SessionEvents;
  readonly stream: StreamRecord;
  readonly id: EventId;
  readonly seq: number;
  /** The message's JSON; undefined for the SDK's priming event (a cursor, nothing to replay) and a message too large. */
  readonly json: string | undefined;
  readonly tooLarge: boolean;
  readonly cost: number;
  /** Neighbours in the store-wide order (oldest first), for global eviction. */
  older?: StoredEvent;
  newer?: StoredEvent;
}

/**
 * One session's events, oldest first. Eviction only ever takes the oldest (per session and store-wide alike), so the
 * evicted events of a session are always those numbered up to `evictedThrough`: a resume from an id knows whether
 * something after it is gone by comparing numbers.
 */
export class SessionEvents {
  lastSeq = 0;
  evictedThrough = 0;
  bytes = 0;
  dropped = false;
  /** Whether the client has opened (or resumed) its GET stream, and the Last-Event-ID it last resumed it from. */
  getOpened = false;
  getCursor: string | undefined;
  readonly streams = new Map<StreamId, StreamRecord>();
  private entries: Array<StoredEvent | undefined> = [];
  private first = 0;
  private readonly forwarding = new Map<StreamId, Set<Send>>();

  constructor(
    readonly tag: string,
    private readonly onResumeLoss: () => void,
  ) {}

  get count(): number {
    return this.entries.length - this.first;
  }

  get oldest(): StoredEvent | undefined {
    return this.entries[this.first];
  }

  stream(id: StreamId): StreamRecord {
    let record = this.streams.get(id);
    if (!record) {
      // A POST stream's record goes when its last event is evicted; should the stream come back, whatever was evicted
      // before now may have been its: the new record says so, and a resume from an older id is reported as a loss.
      record = { id, lastStreamSeq: 0, newestSeq: 0, stored: 0, evictedThrough: this.evictedThrough };
      this.streams.set(id, record);
    }
    return record;
  }

  push(event: StoredEvent): void {
    this.entries.push(event);
    event.stream.stored++;
    this.bytes += event.cost;
  }

  /** Removes the oldest event (the caller unlinks it from the store-wide order). */
  shift(): StoredEvent {
    const event = this.entries[this.first] as StoredEvent;
    this.entries[this.first++] = undefined;
    if (this.first > 1024 && this.first * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.first);
      this.first = 0;
    }
    this.bytes -= event.cost;
    this.evictedThrough = event.seq;
    const stream = event.stream;
    stream.evictedThrough = event.seq;
    if (--stream.stored === 0 && stream.id !== GET_STREAM_ID && this.streams.get(stream.id) === stream) this.streams.delete(stream.id);
    return event;
  }

  /**
   * Sends what is stored on `streamId` after `seq`, and reports a loss (onResumeLoss) when something after it was
   * evicted, was too large to keep, or the id is newer than anything issued. What is still stored is replayed even
   * then: a POST stream's stored response still settles its request, and the client re-reads every subscription anyway.
   */
  replay(seq: number, streamId: StreamId, send: Send): Promise<void> {
    const stream = this.streams.get(streamId);
    let lost = seq > this.lastSeq || (stream ?? this).evictedThrough > seq;
    const writes: Array<Promise<void>> = [];
    // Sent one after another without awaiting in between (the SDK writes synchronously): no event stored meanwhile can
    // slip between the replay and the forwarding below.
    for (let i = this.indexAfter(seq); i < this.entries.length; i++) {
      const event = this.entries[i] as StoredEvent;
      if (event.stream.id !== streamId) continue;
      if (event.tooLarge) lost = true;
      else if (event.json !== undefined) writes.push(send(event.id, JSON.parse(event.json) as JSONRPCMessage));
    }
    this.forwardWhileRegistering(streamId, send);
    if (lost) this.reportLoss();
    return Promise.all(writes).then(() => undefined);
  }

  /** Hands an event just stored to any replay of its stream still being registered by the SDK (see below). */
  forward(streamId: StreamId, id: EventId, message: JSONRPCMessage): void {
    for (const send of this.forwarding.get(streamId) ?? []) send(id, message).catch(() => undefined);
  }

  dropForwarding(): void {
    this.forwarding.clear();
  }

  /**
   * The SDK registers the resumed stream only after replayEventsAfter returns; an event stored in between would be
   * stored but written to no stream (lost until the next resume). Until the next turn of the event loop, events of
   * this stream also go to the resumed stream; the SDK records them as replayed and does not write them twice.
   */
  private forwardWhileRegistering(streamId: StreamId, send: Send): void {
    let sends = this.forwarding.get(streamId);
    if (!sends) this.forwarding.set(streamId, (sends = new Set()));
    sends.add(send);
    setImmediate(() => {
      sends.delete(send);
      if (sends.size === 0 && this.forwarding.get(streamId) === sends) this.forwarding.delete(streamId);
    });
  }

  private reportLoss(): void {
    try {
      this.onResumeLoss();
    } catch {
      // The callback's own failure must not fail the resume: the stream still reopens with what is stored.
    }
  }

  /** Index of the first stored event numbered above `seq` (entries are in seq order). */
  private indexAfter(seq: number): number {
    let low = this.first;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.entries[mid] as StoredEvent).seq <= seq) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

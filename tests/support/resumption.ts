import { waitUntil } from './wait-for.js';

/**
 * Resumption of a Streamable HTTP GET stream, seen from the client: a `fetch` for the SDK's
 * StreamableHTTPClientTransport that records every SSE event each GET stream delivers (and the Last-Event-ID the GET
 * was sent with), can cut the current stream as a dropped connection would, and can hold the client's reconnect while
 * the test makes the server send (or evict) events. Works against any server: the in-process one of the transport
 * tests and the built server of the e2e suites alike.
 *
 * Ending an e2e run: the client cannot know how many notifications the server sent. After the source has ended, cause
 * one more GET event you recognise (subscribe to a second deployment and cancel it: its end is notified at once) and
 * wait for it; the GET stream is in order, so the gap check then covers everything before it.
 */
type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>;

export interface TappedEvent {
  readonly id: string | undefined;
  readonly data: string;
}

export interface TappedGetStream {
  /** The Last-Event-ID header the GET was sent with (undefined: a fresh stream). */
  readonly lastEventId: string | undefined;
  /** Complete SSE events, in the order the client's parser received them. */
  readonly events: TappedEvent[];
  ended: boolean;
  /** Errors the stream on the client side and drops the connection (the server sees it close). */
  cut(): void;
}

export interface GetStreamTap {
  readonly fetch: FetchLike;
  readonly streams: TappedGetStream[];
  /** The GET stream still open, if any. */
  readonly current: TappedGetStream | undefined;
  /** Holds every GET until the returned function is called. */
  holdGets(): () => void;
  /** Cuts the next GET stream as soon as it opens, before the client reads any of it. */
  cutNextOnOpen(): void;
}

export function tapGetStreams(base: FetchLike = fetch): GetStreamTap {
  const streams: TappedGetStream[] = [];
  let gate: Promise<void> | undefined;
  let cutOnOpen = false;
  const tapped: FetchLike = async (url, init) => {
    if ((init?.method ?? 'GET') !== 'GET') return base(url, init);
    if (gate) await gate;
    const response = await base(url, init);
    if (!response.ok || !response.body) return response;
    const stream = recording(response.body, new Headers(init?.headers).get('last-event-id') ?? undefined);
    streams.push(stream.tapped);
    if (cutOnOpen) {
      cutOnOpen = false;
      stream.tapped.cut();
    }
    return new Response(stream.body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  return {
    fetch: tapped,
    streams,
    get current() {
      return streams.filter((s) => !s.ended).at(-1);
    },
    cutNextOnOpen() {
      cutOnOpen = true;
    },
    holdGets() {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

/** A copy of `source` that records each complete SSE event passing through (an event cut halfway is not delivered). */
function recording(source: ReadableStream<Uint8Array>, lastEventId: string | undefined) {
  const reader = source.getReader();
  const decoder = new TextDecoder();
  let pending = '';
  let event: { id?: string; data: string[] } = { data: [] };
  const tapped: TappedGetStream = { lastEventId, events: [], ended: false, cut: () => undefined };
  const take = (text: string) => {
    const lines = (pending + text).split('\n');
    pending = lines.pop() ?? '';
    for (const raw of lines) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line === '') {
        if (event.id !== undefined || event.data.length > 0) tapped.events.push({ id: event.id, data: event.data.join('\n') });
        event = { data: [] };
      } else if (line.startsWith('id:')) event.id = line.slice(3).trim();
      else if (line.startsWith('data:')) event.data.push(line.slice(5).trimStart());
    }
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      tapped.cut = () => {
        if (tapped.ended) return;
        tapped.ended = true;
        controller.error(new Error('GET stream cut by the test'));
        reader.cancel().catch(() => undefined);
      };
    },
    async pull(controller) {
      try {
        const { value, done } = await reader.read();
        if (tapped.ended) return;
        if (done) {
          tapped.ended = true;
          controller.close();
          return;
        }
        take(decoder.decode(value, { stream: true }));
        controller.enqueue(value);
      } catch (error) {
        if (tapped.ended) return;
        tapped.ended = true;
        controller.error(error);
      }
    },
    cancel(reason) {
      tapped.ended = true;
      return reader.cancel(reason);
    },
  });
  return { tapped, body };
}

export interface CutAndResumeOptions {
  /** Events the GET stream must have delivered before the cut, so that the client holds a cursor (default 1). */
  readonly cutAfter?: number;
  /** Cuts the stream (default: the client's connection drops). Pass a server-side cut to test that path. */
  readonly cut?: () => void;
  /** Runs while the stream is down and the client's reconnect is held: make the server send, or evict, events. */
  readonly whileCut?: () => Promise<void>;
}

/** Waits for the GET stream to deliver `cutAfter` events, cuts it, and waits for the client to reconnect. */
export async function cutAndResume(tap: GetStreamTap, options: CutAndResumeOptions = {}) {
  const cutAfter = options.cutAfter ?? 1;
  await waitUntil(() => (tap.current?.events.filter((e) => e.id).length ?? 0) >= cutAfter, `the GET stream to deliver ${cutAfter} events`);
  const cut = tap.current as TappedGetStream;
  const release = tap.holdGets();
  try {
    (options.cut ?? (() => cut.cut()))();
    await waitUntil(() => cut.ended, 'the client to see its GET stream end');
    await options.whileCut?.();
  } finally {
    release();
  }
  await waitUntil(() => tap.streams.at(-1) !== cut, 'the client to reconnect its GET stream');
  const cursor = cut.events.filter((e) => e.id).at(-1)?.id as string;
  return { cut, cursor, resumed: tap.streams.at(-1) as TappedGetStream };
}

/** Every event id the client received on its GET streams, in order. */
export function receivedIds(tap: GetStreamTap): string[] {
  return tap.streams.flatMap((s) => s.events.flatMap((e) => (e.id ? [e.id] : [])));
}

/**
 * With ids that number a stream's events 1, 2, 3 (dokku-mcp's do: `streamSeqOf` reads the number), what the client
 * never got and what it got twice.
 */
export function gapsAndRepeats(ids: readonly string[], streamSeqOf: (id: string) => number) {
  const seen = new Set<number>();
  const repeated: number[] = [];
  for (const seq of ids.map(streamSeqOf)) {
    if (seen.has(seq)) repeated.push(seq);
    seen.add(seq);
  }
  const lost = Array.from({ length: Math.max(0, ...seen) }, (_, i) => i + 1).filter((seq) => !seen.has(seq));
  return { lost, repeated };
}

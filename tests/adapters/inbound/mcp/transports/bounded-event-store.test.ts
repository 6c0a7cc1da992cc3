import { describe, expect, it } from '@jest/globals';
import type { EventStore } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { BoundedEventStore, type EventStoreLimits } from '../../../../../src/adapters/inbound/mcp/transports/bounded-event-store.js';
import { formatEventId, parseEventId } from '../../../../../src/adapters/inbound/mcp/transports/event-ids.js';

const GET = '_GET_stream';
const POST = '1b4e28ba-2fa1-11d2-883f-0016d3cca427';
const note = (text: string): JSONRPCMessage => ({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: text } });
const textOf = (message: JSONRPCMessage) => (message as unknown as { params: { data: string } }).params.data;

function storeWith(limits: Partial<EventStoreLimits> = {}) {
  const store = new BoundedEventStore({ maxEventsPerSession: 100, maxEvents: 1000, ...limits });
  const losses: string[] = [];
  const open = (sessionId: string) => store.forSession(sessionId, () => losses.push(sessionId));
  return { store, losses, open };
}

/** Stores each text as a notification on `stream`; returns the ids in order. */
async function put(events: EventStore, stream: string, ...texts: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const text of texts) ids.push(await events.storeEvent(stream, note(text)));
  return ids;
}

async function replay(events: EventStore, lastEventId: string) {
  const sent: Array<{ id: string; text: string }> = [];
  const stream = await events.replayEventsAfter(lastEventId, { send: async (id, message) => void sent.push({ id, text: textOf(message) }) });
  return { stream, texts: sent.map((s) => s.text), ids: sent.map((s) => s.id) };
}

describe('BoundedEventStore', () => {
  it('resumes the standalone GET stream: the events after the id, in order, with their ids, under the GET stream id', async () => {
    const { open, losses } = storeWith();
    const events = open('s1');
    const ids = await put(events, GET, 'a', 'b', 'c');
    await put(events, POST, 'on a POST stream');
    const resumed = await replay(events, ids[0]!);
    expect(resumed).toEqual({ stream: GET, texts: ['b', 'c'], ids: ids.slice(1) });
    expect(await replay(events, ids[2]!)).toEqual({ stream: GET, texts: [], ids: [] });
    expect(losses).toEqual([]);
  });

  it('numbers the events of each stream 1, 2, 3 in their ids, and every event of the session in one order', async () => {
    const { open } = storeWith();
    const events = open('s1');
    const [g1, g2] = await put(events, GET, 'a', 'b');
    const [p1] = await put(events, POST, 'x');
    const [g3] = await put(events, GET, 'c');
    expect([g1, g2, g3].map((id) => parseEventId(id!)!.streamSeq)).toEqual([1, 2, 3]);
    expect([g1, g2, p1, g3].map((id) => parseEventId(id!)!.seq)).toEqual([1, 2, 3, 4]);
    expect(parseEventId(p1!)).toMatchObject({ streamSeq: 1, streamId: POST });
  });

  it('never replays the SDK\'s priming event, yet resumes from its id', async () => {
    const { open, losses } = storeWith();
    const events = open('s1');
    const priming = await events.storeEvent(POST, {} as JSONRPCMessage);
    await put(events, POST, 'progress', 'result');
    expect(await replay(events, priming)).toMatchObject({ stream: POST, texts: ['progress', 'result'] });
    expect(losses).toEqual([]);
  });

  it('keeps at most maxEventsPerSession per session, the oldest going first', async () => {
    const { store, open } = storeWith({ maxEventsPerSession: 3 });
    const events = open('s1');
    const ids = await put(events, GET, 'a', 'b', 'c', 'd', 'e');
    expect(store.sessionSize('s1')).toBe(3);
    expect(store.size).toBe(3);
    // 'b' is gone, but nothing after it is: resuming from it misses nothing and is no loss.
    expect((await replay(events, ids[1]!)).texts).toEqual(['c', 'd', 'e']);
  });

  it('resuming from an evicted id replays what is left and reports the loss, once per resume', async () => {
    const { open, losses } = storeWith({ maxEventsPerSession: 3 });
    const events = open('s1');
    const ids = await put(events, GET, 'a', 'b', 'c', 'd', 'e');
    expect((await replay(events, ids[0]!)).texts).toEqual(['c', 'd', 'e']);
    expect(losses).toEqual(['s1']);
  });

  it('counts as lost only what was evicted from the stream being resumed', async () => {
    const { open, losses } = storeWith({ maxEventsPerSession: 4 });
    const events = open('s1');
    const [g1] = await put(events, GET, 'g1', 'g2');
    await put(events, POST, 'p1', 'p2', 'p3'); // evicts g1 only
    expect((await replay(events, g1!)).texts).toEqual(['g2']);
    expect(losses).toEqual([]);
    await put(events, POST, 'p4'); // evicts g2, which the client resuming from g1 never had
    expect((await replay(events, g1!)).texts).toEqual([]);
    expect(losses).toEqual(['s1']);
  });

  it('a POST stream whose events were all evicted and that then comes back still reports the loss', async () => {
    const { open, losses } = storeWith({ maxEventsPerSession: 2 });
    const events = open('s1');
    const [p1] = await put(events, POST, 'p1', 'p2');
    await put(events, GET, 'g1', 'g2'); // evicts p1 and p2: the POST stream's record goes
    await put(events, POST, 'p3'); // the same stream again
    expect((await replay(events, p1!)).texts).toEqual(['p3']);
    expect(losses).toEqual(['s1']);
  });

  it('keeps at most maxEvents over all sessions, the oldest of any session going first', async () => {
    const { store, open } = storeWith({ maxEventsPerSession: 10, maxEvents: 3 });
    const a = open('a');
    const b = open('b');
    const [a1] = await put(a, GET, 'a1');
    const [b1] = await put(b, GET, 'b1');
    await put(a, GET, 'a2');
    await put(b, GET, 'b2'); // evicts a1
    expect([store.size, store.sessionSize('a'), store.sessionSize('b')]).toEqual([3, 1, 2]);
    await put(a, GET, 'a3'); // evicts b1
    expect([store.sessionSize('a'), store.sessionSize('b')]).toEqual([2, 1]);
    expect((await replay(a, a1!)).texts).toEqual(['a2', 'a3']);
    expect((await replay(b, b1!)).texts).toEqual(['b2']);
  });

  it('bounds bytes per session and overall; a message larger than maxEventBytes keeps its place as a known loss', async () => {
    const { store, open, losses } = storeWith({ maxBytesPerSession: 4000, maxBytes: 6000, maxEventBytes: 1500 });
    const a = open('a');
    const [first] = await put(a, GET, 'small');
    await a.storeEvent(GET, note('x'.repeat(5000))); // too large: not kept
    await put(a, GET, 'after');
    expect(store.size).toBe(3);
    expect(await replay(a, first!)).toMatchObject({ texts: ['after'] });
    expect(losses).toEqual(['a']);
    const b = open('b');
    for (let i = 0; i < 40; i++) await put(i % 2 ? a : b, GET, `${i}`.padEnd(1000, '.'));
    expect(store.bytes).toBeLessThanOrEqual(6000);
    expect(store.bytes).toBeGreaterThan(3000); // it does keep events, up to the budget
    for (const id of ['a', 'b']) expect(store.sessionSize(id)).toBeGreaterThan(0);
  });

  it('the byte budget defaults to 1 KiB per event the counts allow', async () => {
    const { store, open } = storeWith({ maxEventsPerSession: 5, maxEvents: 100 });
    const events = open('s1');
    for (let i = 0; i < 20; i++) await put(events, GET, 'y'.repeat(600));
    expect(store.sessionSize('s1')).toBe(5); // small events: the count is the bound
    for (let i = 0; i < 20; i++) await put(events, GET, 'y'.repeat(2000));
    expect(store.sessionSize('s1')).toBe(2); // larger ones: the 5 KiB
    expect(store.bytes).toBeLessThanOrEqual(5 * 1024);
  });

  it('refuses an id of another session, and one of an earlier session of the same id; never replays their events', async () => {
    const { store, open, losses } = storeWith();
    const a = open('a');
    const b = open('b');
    const [fromA] = await put(a, GET, 'secret of a');
    await put(b, GET, 'b1');
    await expect(b.replayEventsAfter(fromA!, { send: async () => { throw new Error('sent'); } })).rejects.toThrow('another session');
    expect(store.resumeRefusal('b', fromA!)).toMatch(/another session.*reconnect without it/);
    expect(store.resumeRefusal('a', fromA!)).toBeUndefined();
    const again = open('a'); // same session id, new store: the old ids are foreign
    await expect(again.replayEventsAfter(fromA!, { send: async () => undefined })).rejects.toThrow('another session');
    expect(losses).toEqual([]);
  });

  it('refuses what is not one of its ids, saying what to do', async () => {
    const { store, open } = storeWith();
    const events = open('s1');
    const [id] = await put(events, GET, 'a');
    const tag = parseEventId(id!)!.tag;
    for (const bad of ['', '42', 'garbage', `${tag}.01.1.x`, `${tag}.-1.1.x`, `${tag}.1.1.%E0%A4%A`, `${tag}.1.1.${'x'.repeat(300)}`, `${id}\n`]) {
      await expect(events.replayEventsAfter(bad, { send: async () => undefined })).rejects.toThrow('not an event id this server gave');
      expect(store.resumeRefusal('s1', bad)).toContain('reconnect without it');
    }
    expect(store.resumeRefusal('gone', id!)).toContain('start a new one');
  });

  it('an id of this session newer than any it issued is a loss, not an error', async () => {
    const { open, losses } = storeWith();
    const events = open('s1');
    const [id] = await put(events, GET, 'a');
    const future = formatEventId({ ...parseEventId(id!)!, seq: 99, streamSeq: 99 });
    expect(await replay(events, future)).toEqual({ stream: GET, texts: [], ids: [] });
    expect(losses).toEqual(['s1']);
  });

  it('a throwing onResumeLoss does not fail the resume', async () => {
    const store = new BoundedEventStore({ maxEventsPerSession: 1, maxEvents: 10 });
    const events = store.forSession('s1', () => { throw new Error('callback failed'); });
    const [a] = await put(events, GET, 'a', 'b', 'c');
    expect((await replay(events, a!)).texts).toEqual(['c']);
  });

  it('hands an event stored while the SDK registers the resumed stream to that stream too, and stops after', async () => {
    const { open } = storeWith();
    const events = open('s1');
    const [a] = await put(events, GET, 'a');
    const sent: string[] = [];
    const resumed = events.replayEventsAfter(a!, { send: async (_id, m) => void sent.push(textOf(m)) });
    await put(events, GET, 'during'); // before the SDK could register the stream
    await put(events, POST, 'other stream');
    await resumed;
    await new Promise((resolve) => setImmediate(resolve));
    await put(events, GET, 'after'); // by now the SDK's own send() writes it
    expect(sent).toEqual(['during']);
  });

  it('cursorForFreshGet: a first GET after notifications were sent replays them all; an idle one opens fresh', async () => {
    const { store, open } = storeWith();
    const early = open('early');
    await put(early, POST, 'a result');
    await put(early, GET, 'sent before the GET', 'and this');
    const cursor = store.cursorForFreshGet('early')!;
    expect((await replay(early, cursor)).texts).toEqual(['sent before the GET', 'and this']);
    expect(store.cursorForFreshGet('early')).toBeUndefined(); // never resumed: later fresh GETs are left alone

    open('quiet');
    expect(store.cursorForFreshGet('quiet')).toBeUndefined(); // nothing sent yet: the SDK's fresh stream is right
    expect(store.cursorForFreshGet('unknown')).toBeUndefined();
  });

  it('cursorForFreshGet: after a resume, a GET without an id resumes from where the client last resumed', async () => {
    const { store, open, losses } = storeWith();
    const events = open('s1');
    expect(store.cursorForFreshGet('s1')).toBeUndefined(); // its first GET, open before anything is sent
    const [a] = await put(events, GET, 'a', 'b');
    expect(store.cursorForFreshGet('s1')).toBeUndefined(); // never resumed: left alone
    await replay(events, a!); // resumed from a: 'b' replayed, then the stream is cut before the client got it
    await put(events, GET, 'c');
    expect(store.cursorForFreshGet('s1')).toBe(a);
    expect((await replay(events, store.cursorForFreshGet('s1')!)).texts).toEqual(['b', 'c']);
    expect(losses).toEqual([]);
  });

  it('dropSession frees its events; a late event of the dropped session is not kept, and its ids are refused', async () => {
    const { store, open } = storeWith();
    const a = open('a');
    open('b');
    const [id] = await put(a, GET, 'a1', 'a2');
    store.dropSession('a');
    expect([store.size, store.bytes, store.sessionCount]).toEqual([0, 0, 1]);
    expect(parseEventId(await a.storeEvent(GET, note('late')))).toMatchObject({ streamId: GET });
    expect(store.size).toBe(0);
    await expect(a.replayEventsAfter(id!, { send: async () => undefined })).rejects.toThrow('has ended');
    store.dropSession('never-existed');
  });

  it('stays within its bounds under churn from many sessions', async () => {
    const { store, open } = storeWith({ maxEventsPerSession: 20, maxEvents: 150 });
    const sessions = Array.from({ length: 12 }, (_, i) => open(`s${i}`));
    let [largest, heaviest] = [0, 0];
    for (let i = 0; i < 3000; i++) {
      await put(sessions[(i * 7) % sessions.length]!, i % 3 ? GET : POST, 'z'.repeat((i * 37) % 900));
      if (i % 500 === 499) store.dropSession(`s${i % 12}`);
      [largest, heaviest] = [Math.max(largest, store.size), Math.max(heaviest, store.bytes)];
    }
    expect(largest).toBe(150);
    expect(heaviest).toBeLessThanOrEqual(150 * 1024);
    for (let i = 0; i < 12; i++) expect(store.sessionSize(`s${i}`)).toBeLessThanOrEqual(20);
  });

  it('refuses limits that are not whole numbers >= 1', () => {
    expect(() => new BoundedEventStore({ maxEventsPerSession: 0, maxEvents: 10 })).toThrow('maxEventsPerSession must be a whole number >= 1');
    expect(() => new BoundedEventStore({ maxEventsPerSession: 1, maxEvents: 1.5 })).toThrow('maxEvents');
  });
});

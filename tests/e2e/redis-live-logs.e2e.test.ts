import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { compareFeedEntryIds } from '../../src/domain/feed-entry-id.js';
import { startHttpServer, type HttpServer } from '../support/http-server.js';
import { requireBuild } from '../support/raw-stdio-server.js';
import { startRedis, type RedisFixture } from '../support/redis-fixture.js';
import { openSseStream, type SseEvent, type SseStream } from '../support/sse-client.js';
import { isRunning, startSshd, type SshdFixture } from '../support/sshd-fixture.js';
import { waitUntil } from '../support/wait-for.js';

/**
 * Live runtime logs across instances, end to end: two BUILT server instances over HTTP sharing one real redis-server,
 * one Dokku host (the stand-in behind a real sshd, whose `logs --tail` writes a line every 10 ms). One instance holds
 * the app's lease and runs the one `logs --tail`; every instance's SSE clients read the app's Redis stream, whose entry
 * ids are the events' ids — so a client resumes on the other instance; a killed holder is replaced by the other one.
 */
const LEASE_MS = 1_000;
const WAIT = 20_000;
const prefix = `live-${randomUUID().slice(0, 8)}:`;
let redis: RedisFixture;
let sshd: SshdFixture;
let dir: string;
let a: HttpServer;
let b: HttpServer;
/** A second pair, with a tenant's token and a small logs.runtime.max_streams_per_tenant, under its own key prefix. */
let c: HttpServer;
let d: HttpServer;
const CAP = 3;
const CAPPED_TOKEN = 'capped-bot-token-3e1f0a9b7c';
const streams: SseStream[] = [];

const lines = (s: SseStream): SseEvent[] => s.events.filter((e) => e.event === 'log');
const tails = (app: string) => sshd.tailCalls().filter((argv) => argv[1] === app).length;
async function open(server: HttpServer, app: string, headers: Record<string, string> = {}, query = ''): Promise<SseStream> {
  const stream = await openSseStream(server, `/apps/${app}/logs/stream${query}`, headers);
  streams.push(stream);
  expect(stream.status).toBe(200);
  return stream;
}

function instance(config = 'config.yaml', keyPrefix = prefix): Promise<HttpServer> {
  return startHttpServer(
    ['--config', join(dir, config), '--ssh-host', sshd.host, '--ssh-port', String(sshd.port), '--ssh-user', sshd.user,
      '--ssh-key', sshd.clientKeyPath, '--store', 'redis', '--redis-url', redis.url],
    { DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT: sshd.hostKeyFingerprint, DOKKU_MCP_STORE_KEY_PREFIX: keyPrefix, DOKKU_MCP_STORE_LEASE_TTL_MS: String(LEASE_MS), CAPPED_TOKEN },
  );
}

beforeAll(async () => {
  requireBuild();
  [redis, sshd] = await Promise.all([startRedis(), startSshd({ deployStepMs: 20, logIntervalMs: 10 })]);
  const app = () => ({ deployed: true, running: true, scale: { web: 1 }, config: {}, source: 'https://github.com/heroku/node-js-getting-started.git', ref: 'main' });
  sshd.seed({ apps: { 'crowd-app': app(), 'resume-app': app(), 'takeover-app': app(), 'cap-app': app(), 'pushed-app': app(), 'backlog-app': app() } });
  dir = mkdtempSync(join(tmpdir(), 'dokku-mcp-redis-live-'));
  writeFileSync(join(dir, 'config.yaml'), [
    'auth:',
    '  rate_limit: { per_minute: 1000000, burst: 1000000 }',
    'logs:',
    '  runtime:',
    '    stream_linger_ms: 300',
    '    stream_buffer_size: 2000',
    '    max_streams_per_tenant: 40',
    '    sse_heartbeat_seconds: 0.5',
    '    host_change_poll_seconds: 0.2',
    '',
  ].join('\n'));
  writeFileSync(join(dir, 'capped.yaml'), [
    'auth:',
    '  tokens:',
    '    - { id: capped-bot, env: CAPPED_TOKEN, tenant: capped, scopes: [read] }',
    '  rate_limit: { per_minute: 1000000, burst: 1000000 }',
    'tenants:',
    '  capped: { apps: ["cap-*"] }',
    'logs:',
    '  runtime:',
    '    stream_linger_ms: 300',
    `    max_streams_per_tenant: ${CAP}`,
    '    sse_heartbeat_seconds: 0.5',
    '',
  ].join('\n'));
  const capped = `${prefix}capped:`;
  [a, b, c, d] = await Promise.all([instance(), instance(), instance('capped.yaml', capped), instance('capped.yaml', capped)]);
});
afterEach(() => streams.splice(0).forEach((s) => s.close()));
afterAll(async () => {
  const codes = await Promise.all([a?.stop(), b?.stop(), c?.stop(), d?.stop()]);
  await Promise.all([redis?.dispose(), sshd?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
  expect([codes[1], codes[3]]).toEqual([0, 0]); // B and D never crashed (A and C were killed on purpose)
});

test('20 SSE streams split across A and B share one `logs --tail` at the host, see the same lines with the same ids; after the last leaves, the remote follower ends', async () => {
  const many = await Promise.all(Array.from({ length: 20 }, (_, i) => open(i % 2 ? b : a, 'crowd-app')));
  await waitUntil(() => many.every((s) => lines(s).length >= 10), 'lines on every stream', WAIT);
  expect(tails('crowd-app')).toBe(1);
  const [pid] = sshd.tailPids('crowd-app');
  expect(isRunning(pid!)).toBe(true);
  // The same lines under the same ids on both instances (the Redis stream's entry ids), over the stretch all saw.
  const common = many.map((s) => lines(s).slice(-5)[0]!.id!).sort(compareFeedEntryIds).at(-1)!;
  const from = (s: SseStream) => lines(s).filter((e) => compareFeedEntryIds(e.id!, common) >= 0);
  // A stream read a moment behind the others may not have reached `common` yet: its lines come.
  await waitUntil(() => many.every((s) => from(s).length >= 4), 'every stream past the common line', WAIT);
  const seen = many.map((s) => from(s).slice(0, 4).map((e) => [e.id, e.data]));
  for (const view of seen) expect(view).toEqual(seen[0]);
  expect(seen[0]![0]![0]).toMatch(/^\d+-\d+$/);
  many.forEach((s) => s.close());
  // Each instance lingers (stream_linger_ms: 300), then leaves; the holder sees nobody left and ends the remote follower.
  await waitUntil(() => !isRunning(pid!), 'the remote follower to end after the last subscriber left', WAIT);
  expect(tails('crowd-app')).toBe(1);
});

test('a client that reconnects to the OTHER instance with Last-Event-ID resumes right after it: nothing lost, nothing repeated', async () => {
  const reference = await open(a, 'resume-app'); // stays open throughout: every line, in order
  const before = await open(a, 'resume-app');
  await waitUntil(() => lines(before).length >= 20, '20 lines', WAIT);
  before.close();
  const lastId = lines(before).at(-1)!.id!;
  await new Promise((r) => setTimeout(r, 200)); // lines go on meanwhile: they wait in the Redis stream
  const after = await open(b, 'resume-app', { 'Last-Event-ID': lastId });
  await waitUntil(() => lines(after).length >= 40, '40 more lines on B', WAIT);
  expect(after.events[0]!.event).toBe('log');
  const sinceLast = () => reference.events.slice(reference.events.findIndex((e) => e.id === lastId) + 1);
  await waitUntil(() => sinceLast().length >= 40, 'the reference stream to have them too', WAIT); // it may be a line behind
  const expected = sinceLast().slice(0, 40);
  expect(expected).toHaveLength(40);
  expect(after.events.slice(0, 40).map((e) => [e.id, e.event, e.data])).toEqual(expected.map((e) => [e.id, e.event, e.data]));
  expect(tails('resume-app')).toBe(1);
});

test("the first stream of an app: its backlog (`?lines=3`, read by `logs --num` before the feed held it) resumed with the backlog's id (on B; on A if it is 0-0): the feed follows from its first line, no gap", async () => {
  const first = await open(a, 'backlog-app', {}, '?lines=3');
  await waitUntil(() => lines(first).length >= 13, 'the backlog, then live lines', WAIT);
  // The backlog's events carry one id: "just before the feed's first entry", or 0-0 if the feed had none yet (the
  // unit suite, cluster-log-following.test, forces that case and the other instance's answer to it).
  const backlogId = lines(first)[0]!.id!;
  expect(lines(first).slice(0, 3).map((e) => e.id)).toEqual([backlogId, backlogId, backlogId]);
  // 0-0 holds only on the instance that gave it (elsewhere it may predate a lost feed): then A is asked.
  const resumed = await open(backlogId === '0-0' ? a : b, 'backlog-app', { 'Last-Event-ID': backlogId });
  await waitUntil(() => resumed.events.length >= 10, '10 events on B', WAIT);
  expect(resumed.events.slice(0, 10).map((e) => e.event)).toEqual(Array(10).fill('log'));
  // B replays the feed from its first entry: A's live lines are all there, in order, with the same data (B has more:
  // the feed's lines that A got as its backlog, and dropped as repeats from its live part).
  const live = lines(first).slice(3, 13);
  await waitUntil(() => live.every((e) => resumed.events.some((r) => r.id === e.id)), 'A\'s live lines on B', WAIT);
  const onB = live.map((e) => resumed.events.findIndex((r) => r.id === e.id));
  expect(onB).toEqual([...onB].sort((x, y) => x - y));
  expect(onB.map((i) => resumed.events[i]!.data)).toEqual(live.map((e) => e.data));
});

test('a restart made through B, the instance that does not follow: the holder A follows the new containers (`restarted`)', async () => {
  const onA = await open(a, 'crowd-app'); // A first: A holds the lease
  await waitUntil(() => lines(onA).length >= 5, 'lines on A', WAIT);
  const onB = await open(b, 'crowd-app');
  await waitUntil(() => lines(onB).length >= 5, 'lines on B', WAIT);
  const before = tails('crowd-app');
  const client = new Client({ name: 'e2e-live-cluster', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(b.url)));
  try {
    const restarted = (await client.callTool({ name: 'restart_app', arguments: { app_name: 'crowd-app' } })) as CallToolResult;
    expect(restarted.isError).toBeFalsy();
  } finally {
    await client.close();
  }
  for (const stream of [onA, onB]) {
    await waitUntil(() => stream.events.some((e) => e.event === 'restarted'), 'a restarted marker', WAIT);
    const at = stream.events.findIndex((e) => e.event === 'restarted');
    expect(stream.events[at]!.data.reason).toMatch(/containers changed/);
    await waitUntil(() => stream.events.slice(at + 1).filter((e) => e.event === 'log').length >= 5, 'lines after the restart', WAIT);
  }
  expect(tails('crowd-app')).toBe(before + 1); // one new follow, at the holder
});

test('a `git push` at the host mid-stream: the holder sees it, and subscribers on both instances get `restarted` from one new follow', async () => {
  const onA = await open(a, 'pushed-app'); // A first: A holds the lease
  await waitUntil(() => lines(onA).length >= 5, 'lines on A', WAIT);
  const onB = await open(b, 'pushed-app');
  await waitUntil(() => lines(onB).length >= 5, 'lines on B', WAIT);
  expect(tails('pushed-app')).toBe(1);
  // Not through either server: the stand-in's git-hook build, run outside sshd.
  expect(await sshd.push('pushed-app').done).toBe(0);
  for (const stream of [onA, onB]) {
    await waitUntil(() => stream.events.some((e) => e.event === 'restarted'), 'a restarted marker', WAIT);
    const at = stream.events.findIndex((e) => e.event === 'restarted');
    expect(stream.events[at]!.data.reason).toMatch(/a change made outside this server/);
    await waitUntil(() => stream.events.slice(at + 1).filter((e) => e.event === 'log').length >= 5, 'lines after the restart', WAIT);
  }
  expect(tails('pushed-app')).toBe(2); // one new follow, at the holder
});

test('the holder killed (SIGKILL): the other instance takes the follower over within 2 × lease_ttl; its subscribers get `gap` and go on', async () => {
  const onA = await open(a, 'takeover-app'); // A joins first: A holds the lease and follows
  await waitUntil(() => lines(onA).length >= 5, 'lines on A', WAIT);
  const onB = await Promise.all([open(b, 'takeover-app'), open(b, 'takeover-app')]);
  await waitUntil(() => onB.every((s) => lines(s).length >= 5), 'lines on B', WAIT);
  expect(tails('takeover-app')).toBe(1);
  const killedAt = Date.now();
  a.child.kill('SIGKILL');
  await a.stop();
  for (const stream of onB) {
    await waitUntil(() => stream.events.some((e) => e.event === 'gap'), 'a gap on B', WAIT);
    const gapAt = stream.events.findIndex((e) => e.event === 'gap');
    const gap = stream.events[gapAt]!;
    expect(gap.data).toEqual({ missed: null, reason: expect.stringMatching(/another instance follows them now/) });
    expect(gap.at - killedAt).toBeLessThan(2 * LEASE_MS); // the lease expired and B took it
    await waitUntil(() => stream.events.slice(gapAt + 1).filter((e) => e.event === 'log').length >= 20, 'lines after the gap', WAIT);
  }
  expect(tails('takeover-app')).toBe(2); // A's, then B's
  const fromGap = onB.map((s) => s.events.slice(s.events.findIndex((e) => e.event === 'gap')).slice(0, 20).map((e) => [e.id, e.event, e.data]));
  expect(fromGap[1]).toEqual(fromGap[0]);
});

test(`a tenant's live-log streams on both instances together hold at most logs.runtime.max_streams_per_tenant (${CAP}): started at once, ${CAP} pass; one closing frees a place on the other; a killed instance's places expire`, async () => {
  const auth = { Authorization: `Bearer ${CAPPED_TOKEN}` };
  const attempt = async (server: HttpServer) => {
    const stream = await openSseStream(server, '/apps/cap-app/logs/stream', auth);
    streams.push(stream);
    if (stream.status !== 200) await waitUntil(() => stream.body().endsWith('}'), 'the refusal body', WAIT);
    return stream;
  };
  const refusedWithTheLimit = (stream: SseStream) => {
    expect(stream.status).toBe(429);
    expect(stream.headers['retry-after']).toBeDefined();
    expect(JSON.parse(stream.body()).error.message).toMatch(
      new RegExp(`^Tenant "capped" already hold ${CAP} live log subscriptions on the instances of this server together \\(logs\\.runtime\\.max_streams_per_tenant = ${CAP}\\)`),
    );
  };
  /** Opens on `server` until one is accepted (a freed place is seen once the server noticed the close, or it expired). */
  const acceptedEventually = async (server: HttpServer) => {
    for (const deadline = Date.now() + WAIT; ; await new Promise((r) => setTimeout(r, 50))) {
      const stream = await attempt(server);
      if (stream.status === 200) return stream;
      refusedWithTheLimit(stream);
      stream.close();
      if (Date.now() > deadline) throw new Error('no place came free');
    }
  };
  // CAP + 1 started at once, split across C and D: one atomic claim each in Redis, so exactly CAP are accepted.
  const first = await Promise.all([c, d, c, d].map(attempt));
  expect(first.map((s) => s.status).sort()).toEqual([200, 200, 200, 429]);
  refusedWithTheLimit(first.find((s) => s.status === 429)!);
  for (const server of [c, d]) refusedWithTheLimit(await attempt(server)); // full on either instance
  const open = first.filter((s) => s.status === 200);
  await waitUntil(() => open.every((s) => lines(s).length >= 3), 'lines on the accepted streams', WAIT);
  // One closes (wherever it was): a place is free again, for an instance that did not hold it too.
  open[0]!.close();
  const onD = await acceptedEventually(d);
  await waitUntil(() => lines(onD).length >= 3, 'lines on the new stream', WAIT);
  // Fill the cap with C's share in it, then kill C: its places are not released, they expire with it.
  open.slice(1).forEach((s) => s.close());
  await Promise.all([acceptedEventually(c), acceptedEventually(c)]);
  refusedWithTheLimit(await attempt(d));
  c.child.kill('SIGKILL');
  await c.stop();
  const killedAt = Date.now();
  await acceptedEventually(d);
  expect(Date.now() - killedAt).toBeLessThan(3 * LEASE_MS); // within about one lease: the presence expiry
});

test('Redis lost: a new subscription is refused with 503 STATE_STORE_UNAVAILABLE, nothing crashes; when Redis is back, streams work again', async () => {
  const held = await open(b, 'resume-app');
  await waitUntil(() => lines(held).length >= 5, 'lines on B', WAIT);
  await redis.stop();
  await new Promise((r) => setTimeout(r, 200)); // B's connection notices
  const refused = await openSseStream(b, '/apps/crowd-app/logs/stream');
  streams.push(refused);
  await waitUntil(() => refused.body().endsWith('}'), 'the refusal body', WAIT);
  expect(refused.status).toBe(503);
  expect(refused.headers['retry-after']).toBeDefined();
  expect(JSON.parse(refused.body()).error.message).toMatch(/^state store unreachable: Redis at /);
  await redis.start(); // empty
  let again: SseStream | undefined;
  for (const deadline = Date.now() + WAIT; again?.status !== 200; await new Promise((r) => setTimeout(r, 100))) {
    if (Date.now() > deadline) throw new Error('no stream served after Redis came back');
    again?.close();
    again = await openSseStream(b, '/apps/crowd-app/logs/stream');
    streams.push(again);
  }
  await waitUntil(() => lines(again!).length >= 5, 'lines after Redis came back', WAIT);
  // The stream held through the outage goes on too (its follower re-elected), after a gap.
  const count = lines(held).length;
  await waitUntil(() => lines(held).length >= count + 5, 'the held stream to go on', WAIT);
});

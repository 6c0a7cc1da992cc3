import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHttpServer, type HttpServer } from '../support/http-server.js';
import { requireBuild } from '../support/raw-stdio-server.js';
import { isRunning, startSshd, type SshdFixture } from '../support/sshd-fixture.js';
import { openSseStream, type SseStream } from '../support/sse-client.js';
import { waitUntil } from '../support/wait-for.js';

/**
 * GET /apps/{name}/logs/stream, the SSE log stream for hosted agents, on the real path: the BUILT server over HTTP
 * with tokens and tenants, the SSH adapter, sshd and the Dokku stand-in (whose `logs --tail` writes a line every
 * 10 ms). Read with node's own http client, as an agent's SSE library would.
 */
const SHOP = 'shop-stream-token-1a2b3c4d';
const OPS = 'ops-stream-token-9f8e7d6c';
const MAX_PER_TENANT = 21; // also the cap of the operator's streams (no tenant): the last test opens 20
const WAIT = 20_000;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

type Stream = SseStream;
const openStream = openSseStream;
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

/** The whole answer of a refused request. */
async function refusal(server: HttpServer, path: string, headers: Record<string, string> = auth(SHOP)): Promise<{ status: number; body: string; headers: IncomingMessage['headers'] }> {
  const stream = await openStream(server, path, headers);
  await waitUntil(() => stream.body().endsWith('}'), 'the refusal body', WAIT);
  return { status: stream.status, body: stream.body(), headers: stream.headers };
}
const lines = (s: Stream) => s.events.filter((e) => e.event === 'log');
const seq = (id: string) => Number(id.split('-')[1]);

let fixture: SshdFixture;
let server: HttpServer;
let dir: string;
const streams: Stream[] = [];
const open = async (path: string, headers: Record<string, string> = auth(SHOP)) => {
  const stream = await openStream(server, path, headers);
  streams.push(stream);
  return stream;
};

beforeAll(async () => {
  requireBuild();
  fixture = await startSshd({ deployStepMs: 20, logIntervalMs: 10 });
  const app = (scale: Record<string, number>, config: Record<string, string> = {}) => ({ deployed: true, running: true, scale, config, source: 'https://github.com/heroku/node-js-getting-started.git', ref: 'main' });
  fixture.seed({ apps: { 'shop-web': app({ web: 1, worker: 1 }, { DATABASE_URL: 'postgres://u:secretpw@db:5432/x' }), 'billing-api': app({ web: 1 }), 'crowd-app': app({ web: 2 }) } });
  dir = mkdtempSync(join(tmpdir(), 'dokku-mcp-log-stream-'));
  const config = join(dir, 'config.yaml');
  writeFileSync(config, [
    'auth:',
    '  tokens:',
    `    - { id: shop-bot, sha256: "${sha256(SHOP)}", tenant: shop, scopes: [read] }`,
    '    - { id: ops, env: OPS_TOKEN, scopes: [admin] }',
    '  rate_limit: { per_minute: 100000, burst: 100000 }',
    'tenants:',
    '  shop: { apps: ["shop-*"] }',
    '  billing: { apps: ["billing-*"] }',
    'logs:',
    '  runtime:',
    '    stream_linger_ms: 300',
    '    stream_buffer_size: 500',
    `    max_streams_per_tenant: ${MAX_PER_TENANT}`,
    '    sse_heartbeat_seconds: 0.2',
    '',
  ].join('\n'));
  server = await startHttpServer(
    ['--config', config, '--ssh-host', fixture.host, '--ssh-port', String(fixture.port), '--ssh-user', fixture.user, '--ssh-key', fixture.clientKeyPath],
    { DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT: fixture.hostKeyFingerprint, OPS_TOKEN: OPS },
  );
});
afterEach(() => streams.splice(0).forEach((s) => s.close()));
afterAll(async () => {
  if (server) expect(await server.stop()).toBe(0);
  await fixture?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('an app\'s lines arrive as SSE events in the note\'s wire format, the same lines follow_runtime_logs gives, sanitized, from one tail', async () => {
  const client = new Client({ name: 'e2e-log-stream', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: auth(SHOP) } }));
  try {
    const stream = await open('/apps/shop-web/logs/stream');
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    const followed = (await client.callTool({ name: 'follow_runtime_logs', arguments: { app_name: 'shop-web', seconds: 2 } })) as CallToolResult;
    expect(followed.isError).toBeFalsy();
    const entries = (followed.structuredContent as { entries: Array<{ timestamp: string; process: string; message: string }> }).entries;
    expect(entries.length).toBeGreaterThan(20);
    const got = lines(stream);
    for (const event of got) {
      expect(event.id).toMatch(/^[0-9a-z]+-\d+$/);
      expect(Object.keys(event.data).sort()).toEqual(['container', 'message', 'timestamp']);
    }
    // The window both saw holds the same lines, in order.
    const first = entries[0]!.timestamp;
    const last = entries.at(-1)!.timestamp;
    const window = got.map((e) => e.data).filter((d) => d.timestamp >= first && d.timestamp <= last);
    expect(window).toEqual(entries.map((e) => ({ timestamp: e.timestamp, container: e.process, message: e.message })));
    const ids = got.map((e) => seq(e.id!));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(JSON.stringify(got)).not.toMatch(/secretpw|hunter2|eyJhbGci/);
    expect(stream.body() + JSON.stringify(got)).not.toContain(SHOP);
    // One remote follower for the MCP session and the stream.
    expect(fixture.tailCalls().filter((argv) => argv[1] === 'shop-web')).toHaveLength(1);
    // Heartbeats (sse_heartbeat_seconds: 0.2) are comments: no event of their own.
    expect(got.every((e) => e.event === 'log')).toBe(true);
  } finally {
    await client.close();
  }
});

test('Last-Event-ID resumes after the last line received, nothing lost and nothing repeated; an id of another stream gets `gap`', async () => {
  const before = await open('/apps/shop-web/logs/stream');
  await waitUntil(() => lines(before).length >= 20, '20 lines', WAIT);
  before.close();
  const lastId = lines(before).at(-1)!.id!;
  await new Promise((r) => setTimeout(r, 200)); // lines go on meanwhile: they are in the buffer
  const after = await open('/apps/shop-web/logs/stream', { ...auth(SHOP), 'Last-Event-ID': lastId });
  await waitUntil(() => lines(after).length >= 20, '20 more lines', WAIT);
  expect(after.events[0]!.event).toBe('log');
  const resumed = lines(after).map((e) => seq(e.id!));
  expect(resumed[0]).toBe(seq(lastId) + 1);
  resumed.forEach((n, i) => expect(n).toBe(resumed[0]! + i));

  const foreign = await open('/apps/shop-web/logs/stream', { ...auth(SHOP), 'Last-Event-ID': 'zz9-12' });
  await waitUntil(() => foreign.events.length > 0, 'the first event', WAIT);
  expect(foreign.events[0]).toMatchObject({ event: 'gap', data: { missed: null, reason: expect.stringContaining('what came since is unknown') } });
});

test('?lines=N sends a backlog first; ?process_type keeps one process type', async () => {
  const stream = await open('/apps/shop-web/logs/stream?lines=30&process_type=worker');
  await waitUntil(() => lines(stream).length >= 40, '40 worker lines', WAIT);
  expect(lines(stream).every((e) => /^worker\.\d+$/.test(e.data.container))).toBe(true);
  const all = await open('/apps/shop-web/logs/stream?lines=30');
  await waitUntil(() => lines(all).length >= 30, 'the backlog', WAIT);
  // The backlog came at once: 30 lines written over ~300 ms are older than the request.
  expect(new Set(lines(all).slice(0, 30).map((e) => e.data.container.split('.')[0]))).toEqual(new Set(['web', 'worker']));
});

test('refusals: no token 401; another tenant\'s app exactly as a missing one (404); a bad `lines` 400; over the tenant\'s limit 429 naming it', async () => {
  const noToken = await refusal(server, '/apps/shop-web/logs/stream', {});
  expect(noToken.status).toBe(401);
  expect(noToken.headers['www-authenticate']).toMatch(/^Bearer/);
  const hostBefore = fixture.tailCalls().filter((argv) => argv[1] === 'billing-api').length;
  const foreign = await refusal(server, '/apps/billing-api/logs/stream');
  const missing = await refusal(server, '/apps/shop-missing/logs/stream');
  expect(foreign.status).toBe(404);
  expect(missing.status).toBe(404);
  expect(foreign.body.split('billing-api').join('<app>')).toBe(missing.body.split('shop-missing').join('<app>'));
  expect(fixture.tailCalls().filter((argv) => argv[1] === 'billing-api')).toHaveLength(hostBefore); // the host heard nothing
  const bad = await refusal(server, '/apps/shop-web/logs/stream?lines=ten');
  expect(bad.status).toBe(400);
  expect(JSON.parse(bad.body).error.message).toMatch(/lines must be a whole number/);
  const tooMany = await refusal(server, '/apps/shop-web/logs/stream?lines=5000');
  expect(tooMany.status).toBe(400); // a bad request, not one to retry later
  expect(JSON.parse(tooMany.body).error.message).toMatch(/\(logs\.runtime\.max_lines = 1000\); got 5000\. Ask for at most 1000 lines\.$/);

  const held = await Promise.all(Array.from({ length: MAX_PER_TENANT }, () => open('/apps/shop-web/logs/stream')));
  expect(held.map((s) => s.status)).toEqual(Array(MAX_PER_TENANT).fill(200));
  const over = await refusal(server, '/apps/shop-web/logs/stream');
  expect(over.status).toBe(429);
  expect(over.headers['retry-after']).toBeDefined();
  expect(JSON.parse(over.body).error.message).toMatch(new RegExp(`logs\\.runtime\\.max_streams_per_tenant = ${MAX_PER_TENANT}`));
  // An operator's token (no tenant) is not the shop tenant's: it still gets a stream.
  const operator = await open('/apps/billing-api/logs/stream', auth(OPS));
  expect(operator.status).toBe(200);
});

test('many SSE streams share one `logs --tail` at the host; after the last one leaves, the remote follower ends', async () => {
  // An operator's token (no tenant: its streams count together, under the same cap); 20 streams, each its own session.
  const many = await Promise.all(Array.from({ length: 20 }, () => open('/apps/crowd-app/logs/stream', auth(OPS))));
  expect(many.map((s) => s.status)).toEqual(Array(20).fill(200));
  await waitUntil(() => many.every((s) => lines(s).length >= 5), 'lines on every stream', WAIT);
  expect(fixture.tailCalls().filter((argv) => argv[1] === 'crowd-app')).toHaveLength(1);
  const [pid] = fixture.tailPids('crowd-app');
  expect(pid).toBeDefined();
  // Every stream saw the same lines, in the same order, over the stretch all of them were open.
  const newestFirst = Math.max(...many.map((s) => seq(lines(s)[0]!.id!)));
  const common = many.map((s) => lines(s).filter((e) => seq(e.id!) >= newestFirst).slice(0, 3).map((e) => e.data));
  for (const seen of common) expect(seen).toEqual(common[0]);
  many.forEach((s) => s.close());
  await waitUntil(() => !isRunning(pid!), 'the remote follower to end after the linger', WAIT);
});

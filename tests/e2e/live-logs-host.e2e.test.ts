import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResourceUpdatedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHttpServer, type HttpServer } from '../support/http-server.js';
import { requireBuild } from '../support/raw-stdio-server.js';
import { isRunning, startSshd, type SeedApp, type SshdFixture } from '../support/sshd-fixture.js';
import { waitUntil } from '../support/wait-for.js';

/**
 * Live runtime logs against changes this server did not make, and the SSE backlog beyond the stream's buffer: the
 * BUILT server over HTTP, the real SSH adapter, sshd and the Dokku stand-in, whose `logs --tail` writes a line every
 * 10 ms and follows only the containers it started with (a replaced one goes on printing for 60 s). A `git push` at
 * the host is the stand-in's own deploy run outside any SSH session of the server (fixture.push). The server looks at
 * a followed app's containers every 0.2 s here (logs.runtime.host_change_poll_seconds).
 */
const WAIT = 20_000;
const INTERVAL_MS = 10;
const app = (scale: Record<string, number>, extra: SeedApp = {}): SeedApp => ({ deployed: true, running: true, scale, source: 'https://github.com/heroku/node-js-getting-started.git', ref: 'main', ...extra });

interface SseEvent {
  readonly id?: string;
  readonly event: string;
  readonly data: any;
}
interface Stream {
  readonly status: number;
  readonly events: SseEvent[];
  readonly body: () => string;
  close(): void;
}

function openStream(server: HttpServer, path: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = get(`${server.base}${path}`, (res: IncomingMessage) => {
      let raw = '';
      let all = '';
      const events: SseEvent[] = [];
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        all += chunk;
        for (let end = raw.indexOf('\n\n'); end >= 0; end = raw.indexOf('\n\n')) {
          const block = raw.slice(0, end);
          raw = raw.slice(end + 2);
          const fields = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
          if (fields.event) events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data ?? 'null') });
        }
      });
      res.on('error', () => undefined);
      resolve({ status: res.statusCode ?? 0, events, body: () => all, close: () => req.destroy() });
    });
    req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
  });
}
const logEvents = (s: Stream) => s.events.filter((e) => e.event === 'log');
const hostOf = (message: string) => /host=([0-9a-f]+)/.exec(message)?.[1];
const resourceText = (r: { contents: ReadonlyArray<object> }) => r.contents.map((c) => ('text' in c ? String(c.text) : '')).join('');
const ok = (r: CallToolResult): Record<string, any> => {
  if (r.isError) throw new Error(`tool failed: ${r.content.map((c) => ('text' in c ? c.text : '')).join('\n')}`);
  return r.structuredContent as Record<string, any>;
};

let fixture: SshdFixture;
let server: HttpServer;
let dir: string;
const streams: Stream[] = [];
const clients: Client[] = [];
const open = async (path: string) => {
  const stream = await openStream(server, path);
  streams.push(stream);
  return stream;
};
const mcpClient = async () => {
  const client = new Client({ name: 'e2e-live-host', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
  clients.push(client);
  return client;
};

beforeAll(async () => {
  requireBuild();
  fixture = await startSshd({ deployStepMs: 20, logIntervalMs: INTERVAL_MS });
  fixture.seed({
    apps: {
      'pushed-app': app({ web: 1 }),
      'ours-app': app({ web: 1 }),
      // Its `logs --num N` shows the lines its `logs --tail` printed (the stand-in's time-function log).
      'backlog-app': app({ web: 1, worker: 1 }, { liveLog: true }),
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'dokku-mcp-live-host-'));
  const config = join(dir, 'config.yaml');
  writeFileSync(config, [
    'auth:',
    '  rate_limit: { per_minute: 1000000, burst: 1000000 }',
    'logs:',
    '  runtime:',
    '    stream_linger_ms: 500',
    '    stream_buffer_size: 100',
    '    max_lines: 1000',
    '    host_change_poll_seconds: 0.2',
    '',
  ].join('\n'));
  server = await startHttpServer(
    ['--config', config, '--ssh-host', fixture.host, '--ssh-port', String(fixture.port), '--ssh-user', fixture.user, '--ssh-key', fixture.clientKeyPath],
    { DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT: fixture.hostKeyFingerprint },
  );
});
afterEach(() => streams.splice(0).forEach((s) => s.close()));
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  if (server) expect(await server.stop()).toBe(0);
  await fixture?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a `git push` at the host mid-stream: SSE and MCP subscribers get `restarted`, then the new container\'s lines; a new `logs --tail --num 0`', async () => {
  const stream = await open('/apps/pushed-app/logs/stream');
  expect(stream.status).toBe(200);
  const client = await mcpClient();
  let updates = 0;
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, () => void (updates += 1));
  await client.subscribeResource({ uri: 'dokku://app/pushed-app/logs' });
  await waitUntil(() => logEvents(stream).length >= 5 && updates > 0, 'lines of the running container', WAIT);
  const oldHost = hostOf(logEvents(stream)[0]!.data.message)!;
  const [oldPid] = fixture.tailPids('pushed-app');
  expect(fixture.tailCalls().filter((argv) => argv[1] === 'pushed-app')).toEqual([['logs', 'pushed-app', '--tail', '--num', '0']]);

  // Not through this server: the stand-in's git-hook build, run outside sshd (and outside the argv log).
  expect(await fixture.push('pushed-app').done).toBe(0);
  await waitUntil(() => stream.events.some((e) => e.event === 'restarted'), 'the restarted marker on SSE', WAIT);
  const at = stream.events.findIndex((e) => e.event === 'restarted');
  expect(stream.events[at]!.data).toEqual({ missed: null, reason: expect.stringContaining('a change made outside this server') });
  expect(stream.events[at]!.data.reason).toMatch(/the host's latest build: \w+, build by git-hook, succeeded at/);
  await waitUntil(() => stream.events.slice(at + 1).filter((e) => e.event === 'log').length >= 5, 'lines after the marker', WAIT);
  const before = stream.events.slice(0, at).filter((e) => e.event === 'log').map((e) => hostOf(e.data.message));
  const after = new Set(stream.events.slice(at + 1).filter((e) => e.event === 'log').map((e) => hostOf(e.data.message)));
  expect(new Set(before)).toEqual(new Set([oldHost]));
  expect(after.size).toBe(1);
  expect(after.has(oldHost)).toBe(false);

  // The MCP resource shows the same: the marker, then the new container's lines.
  const text = resourceText(await client.readResource({ uri: 'dokku://app/pushed-app/logs' }));
  const [, afterMarker] = text.split(/--- restarted: [^\n]*outside this server[^\n]*---/);
  expect(afterMarker).toBeDefined();
  const resourceHosts = new Set(afterMarker!.split('\n').map(hostOf).filter((h) => h !== undefined));
  expect(resourceHosts).toEqual(after);

  // At the host: one new follower from now on (--num 0: nothing repeats); the old one ended because it was closed.
  expect(fixture.tailCalls().filter((argv) => argv[1] === 'pushed-app')).toEqual([
    ['logs', 'pushed-app', '--tail', '--num', '0'],
    ['logs', 'pushed-app', '--tail', '--num', '0'],
  ]);
  await waitUntil(() => !isRunning(oldPid!), 'the old remote follower to end', WAIT);
  await client.unsubscribeResource({ uri: 'dokku://app/pushed-app/logs' });
});

test('a restart through this server, with the host watched every 0.2 s: one `restarted` (ours), one new follower', async () => {
  const stream = await open('/apps/ours-app/logs/stream');
  await waitUntil(() => logEvents(stream).length >= 5, 'lines of the running container', WAIT);
  const client = await mcpClient();
  const started = ok((await client.callTool({ name: 'restart_app', arguments: { app_name: 'ours-app' } })) as CallToolResult);
  await waitUntil(() => stream.events.some((e) => e.event === 'restarted'), 'the restarted marker', WAIT);
  const status = ok((await client.callTool({ name: 'get_deployment_status', arguments: { deployment_id: started.deployment_id } })) as CallToolResult);
  expect(status.status).toBe('succeeded');
  // Several looks at the host later (lines keep coming every 10 ms, a look every 200 ms): still only ours.
  const seen = logEvents(stream).length;
  await waitUntil(() => logEvents(stream).length >= seen + 150, 'more lines', WAIT);
  const markers = stream.events.filter((e) => e.event !== 'log');
  expect(markers).toEqual([{ id: expect.any(String), event: 'restarted', data: { missed: null, reason: expect.stringContaining('restart succeeded') } }]);
  expect(fixture.tailCalls().filter((argv) => argv[1] === 'ours-app')).toHaveLength(2);
});

test('?lines=N beyond the buffer: a fresh `logs --num N` first, then the live lines — none lost, none twice at the seam', async () => {
  const before = fixture.argvLog().length;
  // 300 > logs.runtime.stream_buffer_size (100), and nothing follows the app yet: the buffer holds nothing.
  const stream = await open('/apps/backlog-app/logs/stream?lines=300');
  expect(stream.status).toBe(200);
  await waitUntil(() => logEvents(stream).length >= 600, '600 lines', WAIT);
  stream.close();
  const polls = fixture.argvLog().slice(before).filter((argv) => argv[0] === 'logs' && !argv.includes('--tail'));
  expect(polls).toEqual([['logs', 'backlog-app', '--num', '300']]);
  const events = logEvents(stream);
  // The backlog's ids all resume right after the join: one id, then the live lines' own.
  expect(new Set(events.slice(0, 300).map((e) => e.id)).size).toBe(1);
  expect(events[300]!.id).not.toBe(events[0]!.id);
  // The stand-in's line n is written at slot n (10 ms each), by container n mod 2: per container, one line every
  // 20 ms. Across the backlog and the live part, each container's lines are exactly that — no hole, no repeat.
  for (const container of ['web.1', 'worker.1']) {
    const times = events.filter((e) => e.data.container === container).map((e) => Date.parse(e.data.timestamp));
    expect(times.length).toBeGreaterThan(250);
    const steps = new Set(times.slice(1).map((t, i) => t - times[i]!));
    expect([...steps]).toEqual([2 * INTERVAL_MS]);
  }
  expect(events.slice(0, 300).every((e) => typeof e.data.message === 'string' && !/hunter2|s3cr3tpass|eyJhbGci/.test(e.data.message))).toBe(true);
});

test('?lines over logs.runtime.max_lines: 400 naming the limit', async () => {
  const refused = await open('/apps/backlog-app/logs/stream?lines=1001');
  await waitUntil(() => refused.body().endsWith('}'), 'the refusal body', WAIT);
  expect(refused.status).toBe(400);
  expect(JSON.parse(refused.body()).error.message).toMatch(/logs\.runtime\.max_lines = 1000/);
});

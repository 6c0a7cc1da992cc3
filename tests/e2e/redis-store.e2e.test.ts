import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { raw, runToExit, startHttpServer, type HttpServer } from '../support/http-server.js';
import { MAIN, requireBuild, ROOT, SERVER_ENV } from '../support/raw-stdio-server.js';
import { startRedis, type RedisFixture } from '../support/redis-fixture.js';

/**
 * store.type: redis end to end: two BUILT server instances over HTTP (A and B) and one over stdio, one real
 * redis-server. Both HTTP instances keep their buckets in the one Redis; Redis stopped: every call that needs it
 * answers "state store unreachable", /readyz says 503 with why, nothing crashes; Redis back: all recover by themselves.
 * Over HTTP the server refuses to start without Redis; over stdio it starts and answers with the error meanwhile.
 */
let redis: RedisFixture;
let a: HttpServer;
let b: HttpServer;
const prefix = `e2e-${randomUUID().slice(0, 8)}:`;
const text = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
const storeFlags = () => ['--sandbox', '--store', 'redis', '--redis-url', redis.url];
const storeEnv = () => ({ DOKKU_MCP_STORE_KEY_PREFIX: prefix });

async function httpClient(server: HttpServer): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(server.url));
  const client = new Client({ name: 'e2e-redis', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}

const listApps = async (client: Client) => (await client.callTool({ name: 'list_apps', arguments: {} })) as CallToolResult;

async function eventually<T>(attempt: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  requireBuild();
  redis = await startRedis();
  [a, b] = await Promise.all([startHttpServer(storeFlags(), storeEnv()), startHttpServer(storeFlags(), storeEnv())]);
});
afterAll(async () => {
  await redis?.start();
  const codes = await Promise.all([a?.stop(), b?.stop()]);
  await redis?.dispose();
  expect(codes).toEqual([0, 0]); // nothing crashed along the way; SIGTERM ends both cleanly
});

describe('two HTTP instances over one Redis', () => {
  let onA: Awaited<ReturnType<typeof httpClient>>;
  let onB: Awaited<ReturnType<typeof httpClient>>;
  beforeAll(async () => { [onA, onB] = await Promise.all([httpClient(a), httpClient(b)]); });
  afterAll(async () => { await Promise.all([onA.client.close(), onB.client.close()]); });

  it('say so in their banners and keep their rate-limit buckets in the one Redis, under store.key_prefix', async () => {
    expect(a.stderr()).toContain(`State store: Redis at ${redis.url}, keys under "${prefix}"`);
    expect((await listApps(onA.client)).isError).toBeFalsy();
    expect((await listApps(onB.client)).isError).toBeFalsy();
    // No tokens on these servers: each session has its own bucket (with tokens, a token's sessions share one).
    const keys = (await redis.command('KEYS', `${prefix}*`)) as string[];
    expect(keys.sort()).toEqual([`${prefix}rl:session:${onA.transport.sessionId}`, `${prefix}rl:session:${onB.transport.sessionId}`].sort());
    for (const server of [a, b]) expect((await raw(server.base, 'GET', '/readyz')).status).toBe(200);
  });

  it('Redis stopped: calls answer "state store unreachable", /readyz is 503 with why; Redis back: both recover', async () => {
    await redis.stop();
    for (const { client } of [onA, onB]) {
      const refused = await eventually(() => listApps(client), (r) => r.isError === true, 'a refusal');
      expect(text(refused)).toMatch(new RegExp(`^state store unreachable: Redis at ${redis.url.replace(/\./g, '\\.')} \\(store\\.redis_url\\): .+ Nothing was changed\\. Retry in a few seconds`));
    }
    for (const server of [a, b]) {
      const probe = await eventually(() => raw(server.base, 'GET', '/readyz'), (r) => r.status === 503, '/readyz 503');
      expect(probe.json()).toEqual({ status: 'not ready', reason: expect.stringMatching(/^state store unreachable: Redis at /) });
      expect((await raw(server.base, 'GET', '/healthz')).status).toBe(200); // alive, only not ready
    }

    await redis.start();
    for (const { client } of [onA, onB]) await eventually(() => listApps(client), (r) => !r.isError, 'a call served again');
    for (const server of [a, b]) await eventually(() => raw(server.base, 'GET', '/readyz'), (r) => r.status === 200, '/readyz 200');
  });
});

describe('start-up without Redis', () => {
  const closedPort = () => new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

  it('over HTTP: refuses to start, naming store.redis_url and what to do', async () => {
    const port = await closedPort();
    const { code, stderr } = await runToExit(['--sandbox', '--transport', 'http', '--port', '0', '--store', 'redis'], {
      DOKKU_MCP_STORE_REDIS_URL: `redis://:pa55word@127.0.0.1:${port}`,
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`dokku-mcp: not starting: state store unreachable: Redis at redis://:\\S+@127\\.0\\.0\\.1:${port} \\(store\\.redis_url\\): connect ECONNREFUSED`));
    expect(stderr).not.toMatch(/warn|retrying/); // refused, not retried: nothing else to read
    expect(stderr).toContain('start Redis at store.redis_url or fix that URL (or set store.type: memory');
    expect(stderr).not.toContain('pa55word');
    expect(stderr).not.toContain('Speaking MCP over HTTP');
  });

  it('over stdio: starts, answers calls with the error until Redis answers, then serves them', async () => {
    await redis.stop();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [MAIN, ...storeFlags()],
      cwd: ROOT,
      env: { ...SERVER_ENV, ...storeEnv() },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'e2e-redis-stdio', version: '1.0.0' });
    try {
      await client.connect(transport);
      const refused = await listApps(client);
      expect(refused.isError).toBe(true);
      expect(text(refused)).toMatch(/^state store unreachable: Redis at redis:\/\/127\.0\.0\.1:\d+ \(store\.redis_url\): /);
      await redis.start();
      await eventually(() => listApps(client), (r) => !r.isError, 'the stdio server served once Redis is up');
    } finally {
      await client.close();
      await redis.start();
    }
  });
});

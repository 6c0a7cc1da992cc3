import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { bearer, JSON_HEADERS, raw, rpcBody, startHttpServer, type HttpServer, type RawReply } from '../support/http-server.js';
import { requireBuild } from '../support/raw-stdio-server.js';
import { pause } from './mcp-flows.js';

/**
 * auth.rate_limit over HTTP, on the BUILT server (simulated host: the limit is the server's, not the host's): a token
 * bucket per token shared by its sessions (per session without tokens), counting tools/call and resources/read only;
 * over it, 429 with Retry-After and nothing run. Then GET /metrics, parsed, against the calls this suite made.
 * 12 a minute (one back every 5 s), 3 at once.
 */
const TOKENS = { burst: 'burst-bot-token-1a2b3c4d', elicit: 'elicit-bot-token-9f8e7d6c', ops: 'ops-token-value-5c1e0b7a9d' };
const LIMIT_TEXT = 'Rate limit reached: this token may make 12 requests a minute, at most 3 at once (auth.rate_limit); this request was not run.';

let dir: string;
let server: HttpServer;
const clients: Client[] = [];
/** What this suite did, to compare with /metrics: answered tools/call per tool and outcome, and every 429. */
const made = { listAppsOk: 0, listAppsRefused: 0, refused: 0 };

async function connect(url: string, token?: string, capabilities = {}): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(url), token ? { requestInit: { headers: bearer(token) } } : undefined);
  const client = new Client({ name: 'e2e-http-rate-limit', version: '1.0.0' }, { capabilities });
  await client.connect(transport);
  clients.push(client);
  return { client, transport };
}

/**
 * One raw POST of `method` on session `id` with `token`; counts what this suite needs to compare with /metrics. Ids
 * from 1000 up: a session's request ids must not collide with those its SDK client uses.
 */
let nextId = 1000;
async function post(base: string, id: string, token: string | undefined, method: string, params: Record<string, unknown> = {}): Promise<RawReply> {
  const reply = await raw(base, 'POST', '/mcp', { ...JSON_HEADERS, ...(token ? bearer(token) : {}), 'Mcp-Session-Id': id }, rpcBody(nextId++, method, params));
  if (reply.status === 429) made.refused++;
  if (method === 'tools/call' && params.name === 'list_apps') {
    if (reply.status === 200) made.listAppsOk++;
    if (reply.status === 429) made.listAppsRefused++;
  }
  return reply;
}
const listApps = (base: string, id: string, token?: string) => post(base, id, token, 'tools/call', { name: 'list_apps', arguments: {} });

function expectLimited(reply: RawReply, text = LIMIT_TEXT): number {
  expect(reply.status).toBe(429);
  const seconds = Number(reply.headers['retry-after']);
  expect(Number.isInteger(seconds) && seconds >= 1 && seconds <= 5).toBe(true);
  expect(reply.json()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32000, message: expect.any(String) } });
  expect(reply.json().error.message).toBe(`Too Many Requests: ${text} Retry in ${seconds} s; poll less often (get_build_logs every 1-2 s is plenty).`);
  return seconds;
}

beforeAll(async () => {
  requireBuild();
  dir = mkdtempSync(join(tmpdir(), 'dokku-mcp-http-rate-'));
  const config = join(dir, 'config.yaml');
  writeFileSync(config, [
    'auth:',
    '  tokens:',
    '    - { id: burst-bot, env: BURST_TOKEN, scopes: [write] }',
    '    - { id: elicit-bot, env: ELICIT_TOKEN, scopes: [write] }',
    '    - { id: ops, env: OPS_TOKEN, scopes: [admin] }',
    '  rate_limit: { per_minute: 12, burst: 3 }',
    '',
  ].join('\n'));
  server = await startHttpServer(['--sandbox', '--config', config], { BURST_TOKEN: TOKENS.burst, ELICIT_TOKEN: TOKENS.elicit, OPS_TOKEN: TOKENS.ops });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  if (server) expect(await server.stop()).toBe(0);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("a burst over the bucket of a token (shared by its sessions) gets 429 with Retry-After and runs nothing; after the wait calls succeed", async () => {
  const [a, b] = [await connect(server.url, TOKENS.burst), await connect(server.url, TOKENS.burst)];
  const [ida, idb] = [a.transport.sessionId!, b.transport.sessionId!];
  // Not counted, before and after: pings, a cancellation.
  for (let i = 0; i < 5; i++) await a.client.ping();
  // Five counted requests at once over the token's two sessions, one of them a resources/read.
  const burst = await Promise.all([
    listApps(server.base, ida, TOKENS.burst), listApps(server.base, idb, TOKENS.burst), listApps(server.base, ida, TOKENS.burst),
    listApps(server.base, idb, TOKENS.burst), post(server.base, ida, TOKENS.burst, 'resources/read', { uri: 'dokku://apps' }),
  ]);
  expect(burst.map((r) => r.status).sort()).toEqual([200, 200, 200, 429, 429]);
  const waits = burst.filter((r) => r.status === 429).map((r) => expectLimited(r));
  for (const answered of burst.filter((r) => r.status === 200)) expect(answered.body).not.toContain('Rate limit');
  expect((await post(server.base, ida, TOKENS.burst, 'ping')).status).toBe(200); // the bucket is empty; a ping is not counted
  expect((await raw(server.base, 'POST', '/mcp', { ...JSON_HEADERS, ...bearer(TOKENS.burst), 'Mcp-Session-Id': ida },
    JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 99 } }))).status).toBe(202);
  // The SDK client sees the 429 as a failed request, with our text.
  await expect(b.client.callTool({ name: 'list_apps', arguments: {} })).rejects.toThrow(/HTTP 429|Rate limit reached/);
  made.refused++;
  made.listAppsRefused++;
  await pause(Math.max(...waits) * 1000);
  expect((await a.client.callTool({ name: 'list_apps', arguments: {} })).structuredContent).toMatchObject({ count: 3 });
  made.listAppsOk++;
}, 20_000);

test('an elicitation answer is never refused, not even with the bucket spent', async () => {
  const { client, transport } = await connect(server.url, TOKENS.elicit, { elicitation: { form: {} } });
  const id = transport.sessionId!;
  let spentWhenAsked: RawReply | undefined;
  client.setRequestHandler(ElicitRequestSchema, async () => {
    // destroy_app took one request; spend the rest, so that the answer below arrives with the bucket empty.
    for (let i = 0; i < 5 && spentWhenAsked === undefined; i++) {
      const reply = await listApps(server.base, id, TOKENS.elicit);
      if (reply.status === 429) spentWhenAsked = reply;
    }
    return { action: 'accept', content: { confirm: true } };
  });
  // A refused answer would leave the call waiting for it: the timeout turns that into a failure that says so.
  const result = await client.callTool({ name: 'destroy_app', arguments: { app_name: 'python-app' } }, undefined, { timeout: 10_000 });
  expectLimited(spentWhenAsked!);
  expect(result.isError).toBeFalsy();
  expect(result.structuredContent).toMatchObject({ app_name: 'python-app', destroyed: true });
});

test('/metrics parses, and its counters match the calls made', async () => {
  expect((await raw(server.base, 'GET', '/metrics', bearer(TOKENS.burst))).status).toBe(403);
  const scrape = await raw(server.base, 'GET', '/metrics', bearer(TOKENS.ops));
  expect(scrape.status).toBe(200);
  const families = new Map<string, ParsedFamily>(parsePrometheusTextFormat(scrape.body).map((family) => [family.name, family]));
  const sample = (name: string, labels: Record<string, string> = {}) => {
    const found = families.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
    return found === undefined ? undefined : Number(found.value);
  };
  for (const name of [
    'dokku_mcp_tool_calls_total', 'dokku_mcp_tool_call_duration_seconds', 'dokku_mcp_sessions', 'dokku_mcp_ssh_channels_in_use',
    'dokku_mcp_ssh_channels_queued', 'dokku_mcp_deployments', 'dokku_mcp_rate_limited_total', 'process_cpu_seconds_total', 'nodejs_heap_size_used_bytes',
  ]) expect(families.has(name)).toBe(true);
  expect(made.refused).toBeGreaterThanOrEqual(4);
  expect(sample('dokku_mcp_rate_limited_total')).toBe(made.refused);
  expect(sample('dokku_mcp_tool_calls_total', { tool: 'list_apps', outcome: 'ok' })).toBe(made.listAppsOk);
  // A tools/call refused with 429 is recorded as refused, as on stdio.
  expect(sample('dokku_mcp_tool_calls_total', { tool: 'list_apps', outcome: 'denied' })).toBe(made.listAppsRefused);
  expect(sample('dokku_mcp_tool_calls_total', { tool: 'destroy_app', outcome: 'ok' })).toBe(1);
  const count = /^dokku_mcp_tool_call_duration_seconds_count\{tool="list_apps"\} (\d+)$/m.exec(scrape.body)?.[1];
  expect(Number(count)).toBe(made.listAppsOk + made.listAppsRefused);
  expect(sample('dokku_mcp_sessions', { transport: 'http' })).toBe(clients.length);
  expect(sample('dokku_mcp_ssh_channels_in_use')).toBe(0); // the simulated host has no SSH
});

test('without tokens, each session has its own bucket, and /metrics is open on loopback', async () => {
  const config = join(dir, 'open.yaml');
  writeFileSync(config, 'auth:\n  rate_limit: { per_minute: 12, burst: 2 }\n');
  const open = await startHttpServer(['--sandbox', '--config', config]);
  try {
    const [a, b] = [await connect(open.url), await connect(open.url)];
    const [ida, idb] = [a.transport.sessionId!, b.transport.sessionId!];
    expect((await listApps(open.base, ida)).status).toBe(200);
    expect((await listApps(open.base, ida)).status).toBe(200);
    expectLimited(await listApps(open.base, ida), LIMIT_TEXT.replace('token', 'session').replace('at most 3', 'at most 2'));
    expect((await listApps(open.base, idb)).status).toBe(200); // another session: its own bucket
    const metrics = await raw(open.base, 'GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('\ndokku_mcp_rate_limited_total 1\n');
  } finally {
    for (const client of clients.splice(-2)) await client.close();
    expect(await open.stop()).toBe(0);
  }
});

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { APP_SIDE_EFFECTS, appTools, DEPLOYMENT_TOOLS, UNKNOWN_DEPLOYMENT, withoutName as same, missingAppFor } from '../support/access-tables.js';
import { bearer, initializeBody, JSON_HEADERS, raw, rpcBody, startHttpServer, type HttpServer, type RawReply } from '../support/http-server.js';
import { requireBuild } from '../support/raw-stdio-server.js';
import { startSshd, type SshdFixture } from '../support/sshd-fixture.js';
import { waitUntil } from '../support/wait-for.js';
import { textOf } from './mcp-flows.js';

/**
 * Access over HTTP, on the real path: the BUILT server in HTTP mode with tokens, tenants and an audit file, the SSH
 * adapter, sshd and the Dokku stand-in (whose call log shows what reached the host), driven by the SDK's Client with
 * an Authorization header and by raw requests. Tenant "shop" owns shop-*, "billing" owns billing-*.
 */
const TOKENS = {
  shop: 'shop-bot-token-8c1d2e3f4a5b', // configured by its SHA-256
  reader: 'shop-reader-token-77aa01', // by environment variable, like ops
  billing: 'billing-bot-token-0f9e8d7c',
  ops: 'ops-token-value-5c1e0b7a9d',
};
const SECRET = 'b1ll1ng-api-key-do-not-leak';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const APP_TOOLS = appTools({ configValue: SECRET, removedDomain: 'pay.example.com', reveal: true });
const MAX_PER_TENANT = 3;

type Connected = { client: Client; transport: StreamableHTTPClientTransport };

let fixture: SshdFixture;
let server: HttpServer;
let dir: string;
let auditFile: string;
const connections: Connected[] = [];

async function connect(token: string, capabilities = {}): Promise<Connected> {
  const transport = new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: bearer(token) } });
  const client = new Client({ name: 'e2e-http-access', version: '1.0.0' }, { capabilities });
  await client.connect(transport);
  const connected = { client, transport };
  connections.push(connected);
  return connected;
}
const call = async (c: Connected, name: string, args: Record<string, unknown> = {}) => (await c.client.callTool({ name, arguments: args })) as CallToolResult;
const read = (c: Connected, uri: string) => c.client.readResource({ uri }).then((r) => JSON.stringify(r), (e: Error) => e.message);

/** The stand-in commands run while `act` ran that name something matching `word` (an earlier call may still be finishing). */
async function hostCommands<T>(word: RegExp, act: () => Promise<T>): Promise<{ answer: T; argv: string[][] }> {
  const before = fixture.argvLog().length;
  const answer = await act();
  return { answer, argv: fixture.argvLog().slice(before).filter((command) => command.some((w) => word.test(w))) };
}

let shop: Connected;
let reader: Connected;
let billing: Connected;
let ops: Connected;
let everyTool: string[];
let billingDeployment: string;

beforeAll(async () => {
  requireBuild();
  fixture = await startSshd({ deployStepMs: 400 }); // billing's restart stays running while shop pokes at it
  fixture.seed({
    apps: {
      'shop-web': { deployed: true, domains: ['shop.example.com'], scale: { web: 1 } },
      'billing-api': { deployed: true, domains: ['pay.example.com'], config: { API_KEY: SECRET }, scale: { web: 1 } },
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'dokku-mcp-http-access-'));
  auditFile = join(dir, 'audit.log');
  const config = join(dir, 'config.yaml');
  writeFileSync(config, [
    'auth:',
    '  tokens:',
    `    - { id: shop-bot, sha256: "${sha256(TOKENS.shop)}", tenant: shop, scopes: [read, write] }`,
    '    - { id: shop-reader, env: SHOP_READER_TOKEN, tenant: shop, scopes: [read] }',
    `    - { id: billing-bot, sha256: "${sha256(TOKENS.billing)}", tenant: billing, scopes: [write] }`,
    '    - { id: ops, env: OPS_TOKEN, scopes: [admin] }',
    '  rate_limit: { per_minute: 100000, burst: 100000 }', // this suite calls back to back; http-rate-limit tests the limit
    `  max_sessions_per_tenant: ${MAX_PER_TENANT}`,
    'tenants:',
    '  shop: { apps: ["shop-*"] }',
    '  billing: { apps: ["billing-*"] }',
    'audit:',
    `  file: ${auditFile}`,
    '',
  ].join('\n'));
  server = await startHttpServer(
    ['--config', config, '--ssh-host', fixture.host, '--ssh-port', String(fixture.port), '--ssh-user', fixture.user, '--ssh-key', fixture.clientKeyPath],
    { DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT: fixture.hostKeyFingerprint, OPS_TOKEN: TOKENS.ops, SHOP_READER_TOKEN: TOKENS.reader },
  );
  await waitUntil(() => /dokku-mcp: (ready|NOT READY)/.test(server.stderr()), 'the start-up check');
  [shop, reader, billing, ops] = await Promise.all([connect(TOKENS.shop), connect(TOKENS.reader), connect(TOKENS.billing), connect(TOKENS.ops)]);
  everyTool = (await ops.client.listTools()).tools.map((t) => t.name);
  const restarted = await call(billing, 'restart_app', { app_name: 'billing-api' });
  billingDeployment = (restarted.structuredContent as { deployment_id: string }).deployment_id;
  // Settled before any test watches the host: its checks afterwards (ps:scale, ps:report) would land in another's window.
  const status = async () =>
    ((await call(billing, 'get_deployment_status', { deployment_id: billingDeployment })).structuredContent as { status?: string } | undefined)?.status;
  for (let s = await status(); s === 'pending' || s === 'running'; s = await status()) await new Promise((r) => setTimeout(r, 100));
});
afterAll(async () => {
  await Promise.all(connections.map((c) => c.client.close().catch(() => undefined)));
  if (server) expect(await server.stop()).toBe(0);
  await fixture?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const RESOURCES = ['dokku://apps', 'dokku://server/info', 'dokku://app/shop-web', 'dokku://app/shop-web/logs', `dokku://deployment/${UNKNOWN_DEPLOYMENT}`, `dokku://deployment/${UNKNOWN_DEPLOYMENT}/logs`];

describe('without a valid bearer token', () => {
  /** What each kind of bad credential sends: headers, and a query string. */
  const CREDENTIALS: Record<string, { headers: Record<string, string>; query: string; challenge: RegExp; says: RegExp }> = {
    'no token': { headers: {}, query: '', challenge: /^Bearer realm="dokku-mcp"$/, says: /needs a bearer token; send the header Authorization with the value "Bearer <token>"/ },
    'a wrong token': { headers: bearer('not-a-token-of-this-server'), query: '', challenge: /^Bearer realm="dokku-mcp", error="invalid_token"/, says: /bearer token is not valid for this server/ },
    'another scheme': { headers: { Authorization: `Basic ${Buffer.from(`u:${TOKENS.shop}`).toString('base64')}` }, query: '', challenge: /^Bearer realm="dokku-mcp"$/, says: /needs a bearer token/ },
    'a right token in the query string': { headers: {}, query: `?access_token=${TOKENS.shop}`, challenge: /error="invalid_request"/, says: /the "access_token" query parameter\) is not accepted.*send the header Authorization/ },
    'a right token as ?token= beside a right header': { headers: bearer(TOKENS.shop), query: `?token=${TOKENS.shop}`, challenge: /error="invalid_request"/, says: /the "token" query parameter\) is not accepted/ },
  };
  const refused = (reply: RawReply, expected: (typeof CREDENTIALS)[string]) => {
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toMatch(expected.challenge);
    expect(reply.json()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32000, message: expect.stringMatching(/^Unauthorized\. /) } });
    expect(reply.json().error.message).toMatch(expected.says);
    for (const token of Object.values(TOKENS)) expect(reply.body).not.toContain(token);
  };

  test.each(Object.keys(CREDENTIALS))('%s: every tool, every resource and every endpoint answer 401 with WWW-Authenticate; the host hears nothing', async (kind) => {
    const credential = CREDENTIALS[kind]!;
    const session = { ...JSON_HEADERS, ...credential.headers, 'Mcp-Session-Id': shop.transport.sessionId! };
    const before = fixture.argvLog().length;
    let id = 100;
    for (const name of everyTool) {
      const args = APP_TOOLS[name]?.('shop-web') ?? DEPLOYMENT_TOOLS[name]?.(UNKNOWN_DEPLOYMENT) ?? { app_name: 'shop-new', domain: 'x.example.com' };
      refused(await raw(server.base, 'POST', `/mcp${credential.query}`, session, rpcBody(id++, 'tools/call', { name, arguments: args })), credential);
    }
    for (const uri of RESOURCES) refused(await raw(server.base, 'POST', `/mcp${credential.query}`, session, rpcBody(id++, 'resources/read', { uri })), credential);
    const other = { ...JSON_HEADERS, ...credential.headers };
    const sep = credential.query ? '&' : '?';
    for (const [method, path, body] of [
      ['POST', '/mcp', initializeBody()], ['GET', '/mcp', undefined], ['DELETE', '/mcp', undefined], ['GET', '/sse', undefined],
      ['POST', `/messages${credential.query}${sep}sessionId=x`, rpcBody(1, 'ping')], ['GET', '/metrics', undefined], ['GET', '/apps/shop-web/logs/stream', undefined],
    ] as const) {
      const target = path.includes('?') ? path : `${path}${credential.query}`;
      refused(await raw(server.base, method, target, method === 'GET' || method === 'DELETE' ? { ...other, 'Mcp-Session-Id': shop.transport.sessionId! } : other, body), credential);
    }
    // (billing's restart of beforeAll may still be running on the host: its commands are not these requests'.)
    expect(fixture.argvLog().slice(before).filter((command) => !command.includes('billing-api'))).toEqual([]);
  });

  test('/healthz and /readyz stay open', async () => {
    expect((await raw(server.base, 'GET', '/healthz')).status).toBe(200);
    expect((await raw(server.base, 'GET', '/readyz')).json()).toEqual({ status: 'ready' });
  });
});

describe('a session acts for its token', () => {
  test('a read token is not offered tools with side effects, and is refused each with why; nothing reaches the host', async () => {
    const listed = (await reader.client.listTools()).tools.map((t) => t.name);
    const writeTools = (await shop.client.listTools()).tools.filter((t) => !t.annotations?.readOnlyHint).map((t) => t.name);
    expect(writeTools).toEqual(expect.arrayContaining(APP_SIDE_EFFECTS));
    for (const name of writeTools) expect(listed).not.toContain(name);
    for (const name of writeTools) {
      const args = APP_TOOLS[name]?.('shop-web') ?? DEPLOYMENT_TOOLS[name]?.(UNKNOWN_DEPLOYMENT) ?? { app_name: 'shop-new' };
      const { answer, argv } = await hostCommands(/shop/, () => call(reader, name, args));
      expect(argv).toEqual([]);
      expect(textOf(answer)).toMatch(new RegExp(`^${name} is not available: this session's token has the read scope only, so it offers only tools that read; nothing was changed\\.`));
    }
    expect((await call(reader, 'get_app_status', { app_name: 'shop-web' })).structuredContent).toMatchObject({ app_name: 'shop-web' });
  });

  test.each(Object.keys(APP_TOOLS))("%s on another tenant's app answers byte for byte as on a missing one; the host hears nothing of it", async (tool) => {
    const { answer, argv } = await hostCommands(/billing|pay\.example/, () => call(shop, tool, APP_TOOLS[tool]!('billing-api')));
    expect(argv).toEqual([]);
    const missing = await call(shop, tool, APP_TOOLS[tool]!(missingAppFor(tool)));
    expect(answer.isError).toBe(true);
    expect(same(textOf(answer), 'billing-api')).toBe(same(textOf(missing), missingAppFor(tool)));
    expect(textOf(answer)).not.toContain(SECRET);
  });

  test.each(Object.keys(DEPLOYMENT_TOOLS))("%s on another tenant's deployment answers as an unknown one", async (tool) => {
    const { answer, argv } = await hostCommands(/billing/, () => call(shop, tool, DEPLOYMENT_TOOLS[tool]!(billingDeployment)));
    expect(argv).toEqual([]);
    const unknown = await call(shop, tool, DEPLOYMENT_TOOLS[tool]!(UNKNOWN_DEPLOYMENT));
    expect(same(textOf(answer), billingDeployment)).toBe(same(textOf(unknown), UNKNOWN_DEPLOYMENT));
    expect(textOf(answer).split(billingDeployment).join('')).not.toContain('billing'); // beyond the id the caller gave
  });

  test("another tenant's apps and deployments are neither listed nor read as resources", async () => {
    expect((await call(shop, 'list_apps')).structuredContent).toEqual({ apps: ['shop-web'], count: 1 });
    expect((await call(shop, 'list_deployments')).structuredContent).toMatchObject({ count: 0 });
    expect(JSON.stringify(await shop.client.listResources())).not.toMatch(/billing|deploy_/);
    for (const [theirs, missing] of [
      ['dokku://app/billing-api', 'dokku://app/shop-missing'],
      ['dokku://app/billing-api/logs', 'dokku://app/shop-missing/logs'],
      [`dokku://deployment/${billingDeployment}`, `dokku://deployment/${UNKNOWN_DEPLOYMENT}`],
      [`dokku://deployment/${billingDeployment}/logs`, `dokku://deployment/${UNKNOWN_DEPLOYMENT}/logs`],
    ]) {
      const { answer, argv } = await hostCommands(/billing/, () => read(shop, theirs!));
      expect(argv).toEqual([]);
      const subject = (uri: string) => uri.replace(/^dokku:\/\/\w+\/([^/]+).*$/, '$1');
      expect(same(answer, subject(theirs!))).toBe(same(await read(shop, missing!), subject(missing!)));
    }
  });

  test('host-wide tools, dokku://server/info and /metrics need the admin scope', async () => {
    const { answer, argv } = await hostCommands(/global|evil|^version$|^plugin/, async () => [
      await call(shop, 'list_global_domains'),
      await call(shop, 'add_global_domain', { domain: 'evil.example.com' }),
      await read(shop, 'dokku://server/info'),
    ]);
    expect(argv).toEqual([]);
    expect(textOf(answer[0] as CallToolResult)).toMatch(/^list_global_domains is not available: it concerns the whole Dokku host, which needs the admin scope/);
    expect(textOf(answer[1] as CallToolResult)).toMatch(/^add_global_domain is not available: .*admin scope/);
    expect(answer[2]).toMatch(/dokku:\/\/server\/info needs the admin scope/);
    const scrape = (token: string) => raw(server.base, 'GET', '/metrics', bearer(token));
    for (const token of [TOKENS.shop, TOKENS.billing, TOKENS.reader]) {
      const refused = await scrape(token);
      expect(refused.status).toBe(403);
      expect(refused.json().error.message).toMatch(/^Forbidden: GET \/metrics needs the admin scope .*Ask the operator of this server for a token with that scope\.$/);
    }
    const allowed = await scrape(TOKENS.ops);
    expect(allowed.status).toBe(200);
    expect(allowed.headers['content-type']).toMatch(/^text\/plain/);
    for (const name of ['dokku_mcp_ssh_channels_in_use', 'dokku_mcp_ssh_channels_queued', 'dokku_mcp_sessions{transport="http"}']) expect(allowed.body).toContain(`\n${name} `);
    expect((await call(ops, 'list_global_domains')).isError).toBeFalsy();
  });
});

describe('a session belongs to the token that opened it', () => {
  test("another token's valid bearer on a Streamable HTTP session gets 404, byte for byte as an unknown session", async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const as = (token: string, id: string) => ({ ...JSON_HEADERS, ...bearer(token), 'Mcp-Session-Id': id });
    const list = rpcBody(7, 'tools/call', { name: 'list_apps', arguments: {} });
    const { answer, argv } = await hostCommands(/./, async () => [
      await raw(server.base, 'POST', '/mcp', as(TOKENS.billing, shop.transport.sessionId!), list),
      await raw(server.base, 'POST', '/mcp', as(TOKENS.ops, shop.transport.sessionId!), list),
      await raw(server.base, 'GET', '/mcp', as(TOKENS.billing, shop.transport.sessionId!)),
      await raw(server.base, 'DELETE', '/mcp', as(TOKENS.reader, shop.transport.sessionId!)), // same tenant, other token
    ]);
    expect(argv).toEqual([]);
    const unknownReplies = [
      await raw(server.base, 'POST', '/mcp', as(TOKENS.billing, unknown), list),
      await raw(server.base, 'POST', '/mcp', as(TOKENS.ops, unknown), list),
      await raw(server.base, 'GET', '/mcp', as(TOKENS.billing, unknown)),
      await raw(server.base, 'DELETE', '/mcp', as(TOKENS.reader, unknown)),
    ];
    answer.forEach((reply, i) => {
      expect(reply.status).toBe(404);
      expect(reply.body).toBe(unknownReplies[i]!.body);
    });
    expect((await call(shop, 'list_apps')).structuredContent).toEqual({ apps: ['shop-web'], count: 1 }); // untouched
  });

  test("over the legacy SSE transport too: another token's POST /messages?sessionId gets the unknown session's 404", async () => {
    const transport = new SSEClientTransport(new URL(`${server.base}/sse`), { requestInit: { headers: bearer(TOKENS.shop) } });
    const client = new Client({ name: 'e2e-http-access-sse', version: '1.0.0' });
    await client.connect(transport);
    try {
      expect((await client.callTool({ name: 'list_apps', arguments: {} })).structuredContent).toEqual({ apps: ['shop-web'], count: 1 });
      const post = (token: string, id: string) => raw(server.base, 'POST', `/messages?sessionId=${id}`, { ...JSON_HEADERS, ...bearer(token) }, rpcBody(3, 'tools/call', { name: 'list_apps', arguments: {} }));
      // The SDK's SSE client keeps the session's id only in the endpoint the stream announced.
      const sessionId = (transport as unknown as { _endpoint: URL })._endpoint.searchParams.get('sessionId')!;
      expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
      const hijack = await post(TOKENS.billing, sessionId);
      const unknown = await post(TOKENS.billing, '00000000-0000-4000-8000-000000000000');
      expect(hijack.status).toBe(404);
      expect(hijack.body).toBe(unknown.body);
      expect((await post(TOKENS.shop, sessionId)).status).toBe(202); // its own token's POST is taken (answered on the stream)
    } finally {
      await client.close();
    }
    // Its end (the stream closed) gives shop's place back, once the server has seen it.
    for (let tries = 0; !(await raw(server.base, 'GET', '/metrics', bearer(TOKENS.ops))).body.includes('\ndokku_mcp_sessions{transport="sse"} 0\n'); tries++) {
      if (tries > 200) throw new Error('the SSE session was not counted closed');
      await new Promise((done) => setTimeout(done, 25));
    }
  });

  test(`a tenant holds at most auth.max_sessions_per_tenant (${MAX_PER_TENANT}) sessions: the next gets 429 with Retry-After; other tenants are not affected`, async () => {
    // shop holds two (shop-bot's and shop-reader's); one more fits.
    const third = await connect(TOKENS.shop);
    const open = () => raw(server.base, 'POST', '/mcp', { ...JSON_HEADERS, ...bearer(TOKENS.reader) }, initializeBody());
    const refused = await open();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.json()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32000, message: expect.any(String) } });
    expect(refused.json().error.message).toBe(
      `Too Many Requests: Tenant "shop" already has ${MAX_PER_TENANT} open sessions, the most this server allows (auth.max_sessions_per_tenant is ${MAX_PER_TENANT}). Close one (DELETE it, or end its client) and try again.`,
    );
    const sse = await raw(server.base, 'GET', '/sse', { Accept: 'text/event-stream', ...bearer(TOKENS.shop) });
    expect(sse.status).toBe(429); // the legacy transport counts too
    const other = await connect(TOKENS.billing); // billing has one
    expect((await call(other, 'list_apps')).structuredContent).toEqual({ apps: ['billing-api'], count: 1 });
    await third.transport.terminateSession(); // DELETE gives the place back
    expect((await open()).status).toBe(200);
  });
});

describe('the trail of the HTTP sessions', () => {
  test('mutating calls over HTTP are audited with transport, session, token id and tenant; no token or secret in it', async () => {
    const lines = readFileSync(auditFile, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, any>);
    const shopLines = lines.filter((l) => l.token_id === 'shop-bot');
    expect(shopLines.length).toBeGreaterThanOrEqual(2 * APP_SIDE_EFFECTS.length);
    for (const line of shopLines) expect(line).toMatchObject({ transport: 'http', session_id: shop.transport.sessionId, tenant: 'shop' });
    const denied = shopLines.filter((l) => l.outcome === 'denied').map((l) => l.tool);
    expect(denied).toEqual(expect.arrayContaining([...APP_SIDE_EFFECTS, 'add_global_domain']));
    expect(lines.filter((l) => l.token_id === 'shop-reader' && l.outcome === 'denied').length).toBeGreaterThanOrEqual(APP_SIDE_EFFECTS.length);
    expect(lines.find((l) => l.token_id === 'billing-bot' && l.tool === 'restart_app')).toMatchObject({ outcome: 'ok', deployment_id: billingDeployment, tenant: 'billing' });
    expect(lines.find((l) => l.tool === 'configure_app')!.arguments.vars).toEqual({ API_KEY: '********' });
    const text = readFileSync(auditFile, 'utf8') + server.stderr();
    for (const token of Object.values(TOKENS)) expect(text).not.toContain(token);
    expect(text).not.toContain(SECRET);
  });
});

test("the banner says how to connect with a token, and its curl command works as printed with $TOKEN set", async () => {
  const banner = server.stderr();
  expect(banner).toContain(`Client config: {"type":"http","url":"${server.url}","headers":{"Authorization":"Bearer <token>"}}`);
  const curl = /Try it \(TOKEN=<token>\): (curl .*)/.exec(banner)?.[1];
  expect(curl).toBeDefined();
  const run = (token: string) => promisify(execFile)('bash', ['-c', curl!], { env: { PATH: process.env.PATH ?? '', TOKEN: token }, timeout: 10_000 });
  expect((await run(TOKENS.ops)).stdout).toMatch(/^HTTP\/1\.1 200/);
  expect((await run('wrong')).stdout).toMatch(/^HTTP\/1\.1 401/);
});

test('with tokens configured, the server may listen beyond loopback', async () => {
  const config = join(dir, 'open.yaml');
  writeFileSync(config, 'auth:\n  tokens:\n    - { id: ops, env: OPS_TOKEN, scopes: [admin] }\n');
  const wide = await startHttpServer(['--sandbox', '--host', '0.0.0.0', '--config', config], { OPS_TOKEN: TOKENS.ops });
  try {
    expect(wide.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/mcp$/);
    const host = { Host: `127.0.0.1:${wide.port}` };
    expect((await raw(wide.base, 'GET', '/healthz', host)).status).toBe(200);
    expect((await raw(wide.base, 'POST', '/mcp', { ...host, ...JSON_HEADERS }, initializeBody())).status).toBe(401);
    expect((await raw(wide.base, 'POST', '/mcp', { ...host, ...JSON_HEADERS, ...bearer(TOKENS.ops) }, initializeBody())).status).toBe(200);
  } finally {
    expect(await wide.stop()).toBe(0);
  }
});

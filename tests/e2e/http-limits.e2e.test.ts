import { createServer, type Server } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { requireBuild } from '../support/raw-stdio-server.js';
import { initializeBody, JSON_HEADERS, raw, rawSession, runToExit, startHttpServer, type HttpServer, type RawReply } from '../support/http-server.js';
import { waitUntil } from '../support/wait-for.js';
import { pause } from './mcp-flows.js';

/**
 * The HTTP checks and limits of the BUILT server, each a config key with a clear refusal: Host and Origin (403),
 * CORS preflights, the body limit (413), the session cap (503 + Retry-After), idle expiry (404, then a new session),
 * every refusal a JSON-RPC body naming the fix; and the start-up refusals (non-loopback bind, a busy --port).
 */
const TOOLS_LIST = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });

/** A refusal: the status, a JSON-RPC 2.0 error body (never HTML), and its message. */
function refusal(reply: RawReply, status: number): string {
  expect({ status: reply.status, type: reply.headers['content-type'] }).toEqual({ status, type: expect.stringContaining('application/json') });
  const body = reply.json();
  expect(body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: expect.any(Number), message: expect.any(String) } });
  expect(reply.body).not.toMatch(/<html|<pre>|\n\s+at \S/i);
  return body.error.message as string;
}

beforeAll(() => requireBuild());

describe('checks and limits (max_sessions 2, max_body_kb 4, a public host and a web origin allowed)', () => {
  let server: HttpServer;
  beforeAll(async () => {
    server = await startHttpServer(['--sandbox'], {
      DOKKU_MCP_TRANSPORT_MAX_SESSIONS: '2',
      DOKKU_MCP_TRANSPORT_MAX_BODY_KB: '4',
      DOKKU_MCP_TRANSPORT_ALLOWED_HOSTS: 'mcp.example.com',
      DOKKU_MCP_TRANSPORT_ALLOWED_ORIGINS: 'https://app.example.com',
    });
  });
  afterAll(async () => server?.stop());
  const get = (path: string, headers: Record<string, string> = {}) => raw(server.base, 'GET', path, headers);

  it('answers the loopback names on its port and the configured host; refuses any other Host with 403', async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `[::1]:${server.port}`, 'mcp.example.com', 'MCP.example.com:443']) {
      expect({ host, status: (await get('/healthz', { Host: host })).status }).toEqual({ host, status: 200 });
    }
    for (const host of ['evil.example', `evil.example:${server.port}`, 'localhost:1', 'mcp.example.com.evil.example']) {
      expect(refusal(await get('/healthz', { Host: host }), 403)).toContain('transport.allowed_hosts');
    }
    // Before the body is read or a session made: a rebinding page cannot even start one.
    expect(refusal(await raw(server.base, 'POST', '/mcp', { ...JSON_HEADERS, Host: 'evil.example' }, initializeBody()), 403)).toContain('DNS rebinding');
  });

  it('refuses a foreign Origin with 403, lets loopback and configured origins in with CORS headers, and passes no Origin', async () => {
    expect(refusal(await get('/healthz', { Origin: 'https://evil.example' }), 403)).toContain('transport.allowed_origins');
    expect(refusal(await get('/healthz', { Origin: 'null' }), 403)).toContain('Origin');
    expect(refusal(await get('/healthz', { Origin: 'http://localhost:1' }), 403)).toContain('Origin');
    for (const origin of [`http://localhost:${server.port}`, `http://127.0.0.1:${server.port}`, 'https://app.example.com']) {
      const reply = await get('/healthz', { Origin: origin });
      expect({ origin, status: reply.status, allow: reply.headers['access-control-allow-origin'] }).toEqual({ origin, status: 200, allow: origin });
      expect(reply.headers['access-control-expose-headers']).toContain('Mcp-Session-Id');
    }
    const plain = await get('/healthz');
    expect(plain.status).toBe(200);
    expect(plain.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a CORS preflight for an allowed origin, exposing Mcp-Session-Id; a foreign one gets 403', async () => {
    const preflight = (origin: string) => raw(server.base, 'OPTIONS', '/mcp', {
      Origin: origin,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'content-type, mcp-session-id, mcp-protocol-version',
    });
    const reply = await preflight('https://app.example.com');
    expect(reply.status).toBe(204);
    expect(reply.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-methods': expect.stringContaining('DELETE'),
      'access-control-allow-headers': expect.stringContaining('Mcp-Session-Id'),
      'access-control-expose-headers': expect.stringContaining('Mcp-Session-Id'),
    });
    expect(refusal(await preflight('https://evil.example'), 403)).toContain('transport.allowed_origins');
  });

  it('refuses a body over transport.max_body_kb with 413, on both transports', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list', params: { pad: 'x'.repeat(5 * 1024) } });
    expect(refusal(await raw(server.base, 'POST', '/mcp', JSON_HEADERS, big), 413)).toContain('transport.max_body_kb = 4 KiB');
    expect(refusal(await raw(server.base, 'POST', '/messages?sessionId=x', JSON_HEADERS, big), 413)).toContain('max_body_kb');
  });

  it('answers every malformed request with a JSON-RPC error that names the fix', async () => {
    const post = (headers: Record<string, string>, body: string) => raw(server.base, 'POST', '/mcp', headers, body);
    expect(refusal(await post(JSON_HEADERS, TOOLS_LIST), 400)).toContain('Mcp-Session-Id header is missing');
    expect(refusal(await post({ ...JSON_HEADERS, 'Mcp-Session-Id': 'no-such-session' }, TOOLS_LIST), 404)).toContain('POST an initialize request');
    expect(refusal(await post({ ...JSON_HEADERS, 'Content-Type': 'text/plain' }, TOOLS_LIST), 415)).toContain('Content-Type: application/json');
    expect(refusal(await post({ 'Content-Type': 'application/json', Accept: 'application/json' }, TOOLS_LIST), 406)).toContain('Accept: application/json, text/event-stream');
    expect(refusal(await post(JSON_HEADERS, '{"jsonrpc":'), 400)).toContain('not valid JSON');
    expect(refusal(await get('/mcp', { Accept: 'text/event-stream' }), 400)).toContain('Mcp-Session-Id');
    expect(refusal(await get('/mcp', { Accept: 'text/event-stream', 'Mcp-Session-Id': 'gone' }), 404)).toContain('Start a new session');
    expect(refusal(await raw(server.base, 'DELETE', '/mcp'), 400)).toContain('Mcp-Session-Id');
    expect(refusal(await raw(server.base, 'PUT', '/mcp'), 405)).toContain('use POST, GET, DELETE');
    expect(refusal(await get('/nothing/here'), 404)).toContain('POST /mcp');
    expect(refusal(await raw(server.base, 'POST', '/messages', JSON_HEADERS, TOOLS_LIST), 400)).toContain('sessionId query parameter');
    expect(refusal(await raw(server.base, 'POST', '/messages?sessionId=gone', JSON_HEADERS, TOOLS_LIST), 404)).toContain('GET /sse');
  });

  it('checks the messages of a session as over stdio: bad params get -32602 naming the field, on the request\'s stream', async () => {
    const id = await rawSession(server.base);
    const headers = { ...JSON_HEADERS, 'Mcp-Session-Id': id, 'Mcp-Protocol-Version': '2025-06-18' };
    await raw(server.base, 'POST', '/mcp', headers, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    const reply = await raw(server.base, 'POST', '/mcp', headers, JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { arguments: {} } }));
    expect(reply.status).toBe(200);
    const messages = reply.body.split('\n').filter((line) => line.startsWith('data: {')).map((line) => JSON.parse(line.slice(6)));
    expect(messages).toEqual([{ jsonrpc: '2.0', id: 7, error: { code: -32602, message: expect.stringContaining('params.name') } }]);
    expect((await raw(server.base, 'DELETE', '/mcp', { 'Mcp-Session-Id': id })).status).toBe(200);
  });

  it('opens at most transport.max_sessions at once: the next gets 503 with Retry-After, until one ends', async () => {
    const replies = await Promise.all([1, 2, 3].map(() => raw(server.base, 'POST', '/mcp', JSON_HEADERS, initializeBody())));
    const opened = replies.filter((r) => r.status === 200);
    expect(opened).toHaveLength(2);
    const refused = replies.find((r) => r.status !== 200)!;
    expect(refusal(refused, 503)).toContain('transport.max_sessions');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refusal(await get('/sse', { Accept: 'text/event-stream' }), 503)).toContain('max_sessions'); // one cap for both transports

    const [first, second] = opened.map((r) => r.headers['mcp-session-id'] as string);
    expect((await raw(server.base, 'DELETE', '/mcp', { 'Mcp-Session-Id': first! })).status).toBe(200);
    expect(refusal(await raw(server.base, 'POST', '/mcp', { ...JSON_HEADERS, 'Mcp-Session-Id': first! }, TOOLS_LIST), 404)).toContain('initialize');
    const third = await rawSession(server.base);
    for (const id of [second!, third]) await raw(server.base, 'DELETE', '/mcp', { 'Mcp-Session-Id': id });
  });
});

describe('idle sessions (session_idle_minutes 0.02 = 1.2 s)', () => {
  let server: HttpServer;
  beforeAll(async () => {
    server = await startHttpServer(['--sandbox'], { DOKKU_MCP_TRANSPORT_SESSION_IDLE_MINUTES: '0.02' });
  });
  afterAll(async () => server?.stop());

  it('keeps a session whose GET stream is open; closes it once the client is gone and idle; then 404 and a new session works', async () => {
    const transport = new StreamableHTTPClientTransport(new URL(server.url));
    const client = new Client({ name: 'e2e-idle', version: '1.0.0' });
    await client.connect(transport);
    const id = transport.sessionId!;
    await pause(3_000); // well past the idle time: only the open GET stream keeps the session
    expect((await client.listTools()).tools.length).toBe(27);
    await client.close(); // no DELETE: the client just goes away
    await waitUntil(() => server.stderr().includes(`MCP session closed after being idle {"session":"${id}"`), 'the idle session to be closed');

    const reply = await raw(server.base, 'POST', '/mcp', { ...JSON_HEADERS, 'Mcp-Session-Id': id }, TOOLS_LIST);
    expect(refusal(reply, 404)).toContain('transport.session_idle_minutes = 0.02');
    const again = new Client({ name: 'e2e-idle-again', version: '1.0.0' });
    await again.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    expect((await again.listTools()).tools.length).toBe(27);
    await again.close();
  });
});

describe('start-up and readiness', () => {
  const freePort = (): Promise<{ port: number; holder: Server }> =>
    new Promise((done) => {
      const holder = createServer().listen(0, '127.0.0.1', () => done({ port: (holder.address() as { port: number }).port, holder }));
    });

  it('refuses to bind a non-loopback address: it needs access tokens', async () => {
    const { code, stderr } = await runToExit(['--sandbox', '--transport', 'http', '--host', '0.0.0.0', '--port', '0']);
    expect(code).toBe(2);
    expect(stderr).toContain('transport.host 0.0.0.0 is not a loopback address');
    expect(stderr).toContain('needs access tokens');
  });

  it('refuses a --port that is busy, saying so (exit 2)', async () => {
    const { port, holder } = await freePort();
    try {
      const { code, stderr } = await runToExit(['--sandbox', '--transport', 'http', '--port', String(port)]);
      expect(code).toBe(2);
      expect(stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(stderr).toContain('--port N');
    } finally {
      holder.close();
    }
  });

  it('is alive but not ready (503 with the reason) while the Dokku host does not answer', async () => {
    const { port, holder } = await freePort();
    holder.close(); // a port where nothing listens: the SSH host refuses
    const server = await startHttpServer(['--ssh-host', '127.0.0.1', '--ssh-port', String(port)]);
    try {
      expect((await raw(server.base, 'GET', '/healthz')).json()).toEqual({ status: 'ok' });
      const ready = await raw(server.base, 'GET', '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.json()).toEqual({ status: 'not ready', reason: expect.stringContaining(`127.0.0.1:${port}`) });
    } finally {
      await server.stop();
    }
  });
});

import { alive, RawServer, requireBuild, type JsonRpcReply } from '../support/raw-stdio-server.js';
import { JSON_HEADERS, raw, rawSession, startHttpServer, type HttpServer, type RawReply } from '../support/http-server.js';

/**
 * Protocol abuse in raw bytes against the BUILT server (sandbox), on stdio and on Streamable HTTP: what no SDK client
 * sends. Each answer is a JSON-RPC error or a clear tool error, short, with no stack trace or file path; the server
 * stays up and serves the next request. Complements stdio-protocol.e2e.test.ts (parse errors, non-JSON-RPC lines,
 * a tools/call before initialize, bad params, an 11 MB line) and http-limits.e2e.test.ts (status codes and limits).
 */
const LEAK = /\n\s+at \S|\(\/[^)]*\.(?:js|ts):\d+|\/(?:dist|src|node_modules)\/\S+\.(?:js|ts)\b|\bat Object\.|\bat async\b/;
const BIG = 'Z'.repeat(100_000);

function deeplyNested(depth: number, open: string, close: string, bottom: string): string {
  return `${open.repeat(depth)}${bottom}${close.repeat(depth)}`;
}
const DEEP_OBJECT = deeplyNested(100_000, '{"a":', '}', '"x"');
const DEEP_ARRAY = deeplyNested(100_000, '[', ']', '1');

/** The text a client reads in a reply: the error message, or the tool result's text. */
function replyText(reply: JsonRpcReply): string {
  if (reply.error) return reply.error.message;
  const content = (reply.result?.content ?? []) as Array<{ text?: string }>;
  return content.map((c) => c.text ?? '').join('\n');
}

/** A JSON-RPC error with this code, or (code undefined) a tool error; short and free of stack traces and paths. */
function refused(reply: JsonRpcReply, code?: number): string {
  const text = replyText(reply);
  if (code === undefined) expect(reply.result?.isError).toBe(true);
  else expect(reply.error?.code).toBe(code);
  expect(text).not.toMatch(LEAK);
  expect(text.length).toBeGreaterThan(10);
  expect(text.length).toBeLessThan(1000);
  return text;
}

beforeAll(requireBuild);

describe('stdio: raw abuse', () => {
  const servers: RawServer[] = [];
  afterAll(() => servers.forEach((s) => s.kill()));
  async function started(initialize = true): Promise<RawServer> {
    const server = new RawServer();
    servers.push(server);
    if (initialize) await server.initialize();
    return server;
  }
  async function stillServes(server: RawServer, id: number): Promise<void> {
    server.callTool(id, 'list_apps');
    expect((await server.reply(id)).result?.structuredContent?.apps).toContain('node-js-app');
    expect(alive(server.pid)).toBe(true);
  }
  afterEach(() => {
    for (const server of servers) for (const reply of server.replies) expect(JSON.stringify(reply.error ?? reply.result?.content ?? '')).not.toMatch(LEAK);
  });

  it('refuses a 50 MB line with an error naming the limit, and serves the next line', async () => {
    const server = await started();
    server.send(`{"jsonrpc":"2.0","id":50,"method":"tools/call","params":{"name":"list_apps","arguments":{"pad":"${'x'.repeat(50 * 1024 * 1024)}"}}}\n`);
    expect(refused(await server.reply(50, 60_000), -32600)).toMatch(/too large.*10 MiB/);
    await stillServes(server, 51);
  });

  it('answers deeply nested params (100,000 levels of objects, of arrays) with an error, not a crash', async () => {
    const server = await started();
    server.send(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_apps","arguments":${DEEP_OBJECT}}}\n`);
    server.send(`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_app_status","arguments":{"app_name":${DEEP_ARRAY}}}}\n`);
    server.send(`{"jsonrpc":"2.0","id":3,"method":"resources/read","params":{"uri":"dokku://apps","_meta":${DEEP_OBJECT}}}\n`);
    const [deepObject, deepArray, deepMeta] = await Promise.all([server.reply(1), server.reply(2), server.reply(3)]);
    expect(refused(deepObject)).toMatch(/arguments/);
    expect(refused(deepArray)).toMatch(/arguments|app_name/);
    // Either refused as a message or served: never a crash or a silence.
    expect(deepMeta.error ? refused(deepMeta) : deepMeta.result?.contents).toBeTruthy();
    await stillServes(server, 4);
  });

  it('answers unknown methods -32601, and a method name of 100,000 characters without echoing it', async () => {
    const server = await started();
    server.send({ jsonrpc: '2.0', id: 1, method: 'tools/destroy_everything' });
    server.send({ jsonrpc: '2.0', id: 2, method: BIG });
    server.send({ jsonrpc: '2.0', id: 3, method: 'rpc.discover' });
    for (const id of [1, 2, 3]) refused(await server.reply(id), -32601);
    await stillServes(server, 4);
  });

  it('refuses every request but ping before initialize, ignores notifications, then serves once initialized', async () => {
    const server = await started(false);
    const early = [
      ['tools/list', {}], ['resources/list', {}], ['resources/read', { uri: 'dokku://apps' }], ['prompts/get', { name: 'app_doctor' }],
      ['resources/subscribe', { uri: 'dokku://deployment/deploy_01jd3k5x7m2q' }], ['logging/setLevel', { level: 'debug' }],
      ['completion/complete', { ref: { type: 'ref/prompt', name: 'app_doctor' }, argument: { name: 'app_name', value: 'n' } }], ['no/such', {}],
    ] as const;
    server.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    server.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1 } });
    early.forEach(([method, params], i) => server.send({ jsonrpc: '2.0', id: i + 1, method, params }));
    server.send({ jsonrpc: '2.0', id: 'p', method: 'ping' });
    for (const [i, [method]] of early.entries()) expect(refused(await server.reply(i + 1), -32600)).toContain(`"${method}" before "initialize"`);
    expect((await server.reply('p')).result).toEqual({});
    expect(server.replies).toHaveLength(early.length + 1); // the notifications got no answer
    await server.initialize();
    await stillServes(server, 99);
  });

  it('refuses a flood of 2,000 subscriptions to unknown URIs, each briefly, and still subscribes to a real one', async () => {
    const server = await started();
    const uris = Array.from({ length: 2000 }, (_, i) => (i % 4 === 0 ? `dokku://deployment/deploy_${String(i).padStart(12, '0')}` : i % 4 === 1 ? `dokku://nothing/${i}` : i % 4 === 2 ? `https://evil.example/${i}` : `dokku://x/${BIG.slice(0, 1500)}${i}`));
    uris.forEach((uri, i) => server.send({ jsonrpc: '2.0', id: 1000 + i, method: 'resources/subscribe', params: { uri } }));
    const replies = await Promise.all(uris.map((_, i) => server.reply(1000 + i, 30_000)));
    for (const reply of replies) refused(reply, -32602);
    expect(replyText(replies[3]!)).toMatch(/^MCP error -32602: Cannot subscribe to dokku:\/\/x\/Z{190}…: only dokku:\/\/deployment/);

    server.callTool(1, 'deploy_app', { app_name: 'node-js-app', repo_url: 'https://github.com/heroku/node-js-getting-started.git' });
    const id = (await server.reply(1)).result?.structuredContent?.deployment_id as string;
    server.send({ jsonrpc: '2.0', id: 2, method: 'resources/subscribe', params: { uri: `dokku://deployment/${id}/logs` } });
    expect((await server.reply(2)).result).toEqual({});
    await stillServes(server, 3);
  });

  it('answers NaN, huge, negative and fractional numbers with a JSON-RPC error or a tool error naming the field', async () => {
    const server = await started();
    const lines = (n: string) => `{"app_name":"node-js-app","lines":${n}}`;
    const cases: Array<[number, string, string, number | undefined, RegExp]> = [
      [1, 'get_runtime_logs', lines('NaN'), -32700, /not valid JSON/],
      [2, 'get_runtime_logs', lines('1e400'), undefined, /"lines"/], // JSON.parse makes it Infinity
      [3, 'get_runtime_logs', lines('-1'), undefined, /"lines"/],
      [4, 'get_runtime_logs', lines('2.5'), undefined, /"lines"/],
      [5, 'get_runtime_logs', lines('1e308'), undefined, /lines/],
      [6, 'get_build_logs', '{"deployment_id":"deploy_01jd3k5x7m2q","since_offset":-1e308}', undefined, /since_offset|deployment/],
      [7, 'scale_app', '{"app_name":"node-js-app","processes":{"web":1e308}}', undefined, /processes\.web/],
      [8, 'scale_app', '{"app_name":"node-js-app","processes":{"web":-0.0}}', undefined, /./],
      [9, 'scale_app', '{"app_name":"node-js-app","processes":{"web":9007199254740993}}', undefined, /processes\.web/],
    ];
    for (const [id, tool, args] of cases) server.send(`{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"${tool}","arguments":${args}}}\n`);
    for (const [id, , , code, why] of cases) {
      const reply = await server.reply(code === -32700 ? null : id);
      // -0 is a valid 0 (scale web to 0): a result, not an error; everything else is refused.
      if (id === 8) expect(reply.result?.isError ?? false).toBe(false);
      else expect(refused(reply, code)).toMatch(why);
    }
    await stillServes(server, 20);
  });

  it('refuses a tool name, prompt name or resource URI too long to exist, without echoing it', async () => {
    const server = await started();
    server.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: BIG, arguments: {} } });
    server.send({ jsonrpc: '2.0', id: 2, method: 'prompts/get', params: { name: BIG } });
    server.send({ jsonrpc: '2.0', id: 3, method: 'resources/read', params: { uri: `dokku://app/${BIG}/logs` } });
    server.send({ jsonrpc: '2.0', id: 4, method: 'resources/unsubscribe', params: { uri: BIG } });
    expect(refused(await server.reply(1), -32602)).toMatch(/params\.name is 100000 characters.*at most 128.*tools\/list/);
    expect(refused(await server.reply(2), -32602)).toMatch(/params\.name.*prompts\/list/);
    expect(refused(await server.reply(3), -32602)).toMatch(/params\.uri is 100017 characters.*at most 2048/);
    refused(await server.reply(4), -32602);
    await stillServes(server, 5);
  });

  it('answers requests with ids JSON-RPC does not allow, or params of the wrong kind, with -32600 / -32602', async () => {
    const server = await started();
    server.send({ jsonrpc: '2.0', id: { a: 1 }, method: 'ping' });
    server.send({ jsonrpc: '2.0', id: [1], method: 'ping' });
    server.send({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: 'list_apps' });
    server.send({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'list_apps', arguments: [1, 2] } });
    server.send({ jsonrpc: '1.0', id: 9, method: 'ping' });
    const nullIds = async () => {
      for (let tries = 0; tries < 500 && server.replies.filter((r) => r.id === null).length < 2; tries++) await new Promise((r) => setTimeout(r, 10));
      return server.replies.filter((r) => r.id === null);
    };
    for (const reply of await nullIds()) refused(reply, -32600);
    refused(await server.reply(7), -32600);
    expect([-32602, undefined]).toContain((await server.reply(8)).error?.code);
    refused(await server.reply(9), -32600);
    await stillServes(server, 10);
  });
});

describe('Streamable HTTP: raw abuse (default limits)', () => {
  let server: HttpServer;
  let headers: Record<string, string>;
  beforeAll(async () => {
    server = await startHttpServer(['--sandbox']);
    const id = await rawSession(server.base);
    headers = { ...JSON_HEADERS, 'Mcp-Session-Id': id, 'Mcp-Protocol-Version': '2025-06-18' };
    await raw(server.base, 'POST', '/mcp', headers, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  });
  afterAll(async () => server?.stop());

  /** The JSON-RPC messages of a POST's SSE (or JSON) answer. */
  const messages = (reply: RawReply): JsonRpcReply[] =>
    reply.headers['content-type']?.toString().includes('text/event-stream')
      ? reply.body.split('\n').filter((l) => l.startsWith('data: {')).map((l) => JSON.parse(l.slice(6)) as JsonRpcReply)
      : [reply.json() as JsonRpcReply];
  const post = async (body: string): Promise<RawReply> => {
    const reply = await raw(server.base, 'POST', '/mcp', headers, body);
    expect(reply.body).not.toMatch(LEAK);
    return reply;
  };
  const only = async (body: string): Promise<JsonRpcReply> => {
    const reply = await post(body);
    expect(reply.status).toBe(200);
    const [message, ...more] = messages(reply);
    expect(more).toEqual([]);
    return message!;
  };
  const stillServes = async (id: number) => {
    const reply = await only(JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'list_apps', arguments: {} } }));
    expect(reply.result?.structuredContent?.apps).toContain('node-js-app');
    expect(alive(server.child.pid!)).toBe(true);
  };

  it('refuses a 50 MB body with 413 naming transport.max_body_kb, and the session goes on', async () => {
    const reply = await post(`{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"${'x'.repeat(50 * 1024 * 1024)}"}}`);
    expect(reply.status).toBe(413);
    expect(reply.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600, message: expect.stringContaining('transport.max_body_kb = 1024 KiB') } });
    await stillServes(2);
  });

  it('answers deeply nested params with an error, not a crash', async () => {
    refused(await only(`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"list_apps","arguments":${deeplyNested(50_000, '{"a":', '}', '1')}}}`));
    refused(await only(`{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"get_app_status","arguments":{"app_name":${deeplyNested(50_000, '[', ']', '1')}}}}`));
    await stillServes(5);
  });

  it('answers unknown methods -32601 and refuses an empty batch with -32600', async () => {
    refused(await only(JSON.stringify({ jsonrpc: '2.0', id: 6, method: 'tools/destroy_everything' })), -32601);
    const empty = await post('[]');
    expect(empty.status).toBe(400);
    expect(refused(empty.json() as JsonRpcReply, -32600)).toContain('empty batch');
    await stillServes(7);
  });

  it('refuses a flood of 300 subscriptions to unknown URIs (20 at a time), each briefly', async () => {
    for (let start = 0; start < 300; start += 20) {
      const replies = await Promise.all(Array.from({ length: 20 }, (_, k) => only(JSON.stringify({
        jsonrpc: '2.0', id: 100 + start + k, method: 'resources/subscribe', params: { uri: `dokku://nothing/${start + k}/${BIG.slice(0, 1000)}` },
      }))));
      for (const reply of replies) refused(reply, -32602);
    }
    await stillServes(8);
  });

  it('answers huge, negative and fractional numbers, and too-long names, with a clear error', async () => {
    const call = (id: number, name: string, args: string) => `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"${name}","arguments":${args}}}`;
    expect(refused(await only(call(9, 'get_runtime_logs', '{"app_name":"node-js-app","lines":1e400}')))).toMatch(/"lines"/);
    expect(refused(await only(call(10, 'get_runtime_logs', '{"app_name":"node-js-app","lines":-3}')))).toMatch(/"lines"/);
    expect(refused(await only(call(11, 'scale_app', '{"app_name":"node-js-app","processes":{"web":2.5}}')))).toMatch(/processes/);
    expect(refused(await only(call(12, BIG, '{}')), -32602)).toMatch(/at most 128/);
    expect(refused(await only(JSON.stringify({ jsonrpc: '2.0', id: 13, method: 'resources/read', params: { uri: BIG } })), -32602)).toMatch(/at most 2048/);
    await stillServes(14);
  });
});

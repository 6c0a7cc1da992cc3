import { alive, RawServer, requireBuild } from '../support/raw-stdio-server.js';

/** What the built server answers to raw JSON-RPC lines that a well-behaved SDK client would never send. */
const servers: RawServer[] = [];
beforeAll(requireBuild);
afterAll(() => servers.forEach((s) => s.kill()));

async function initialized(): Promise<RawServer> {
  const server = new RawServer();
  servers.push(server);
  await server.initialize();
  return server;
}

async function listAppsStillWorks(server: RawServer, id: number): Promise<void> {
  server.callTool(id, 'list_apps');
  const reply = await server.reply(id);
  expect(reply.result?.structuredContent?.apps).toContain('node-js-app');
}

describe('raw JSON-RPC over stdio', () => {
  it('answers a line that is not JSON with -32700 Parse error, id null, and keeps serving', async () => {
    const server = await initialized();
    server.send('{"jsonrpc":"2.0","id":7,"method":\n');
    const reply = await server.reply(null);
    expect(reply.error?.code).toBe(-32700);
    expect(reply.error?.message).toMatch(/not valid JSON/);
    await listAppsStillWorks(server, 8);
  });

  it('answers JSON that is not a JSON-RPC message with -32600 Invalid Request', async () => {
    const server = await initialized();
    server.send({ jsonrpc: '2.0', id: 9 }); // no method, no result
    expect((await server.reply(9)).error?.code).toBe(-32600);
    server.send('[1,2]\n');
    expect((await server.reply(null)).error?.code).toBe(-32600);
    await listAppsStillWorks(server, 10);
  });

  it('refuses a tools/call before initialize without running it, and serves once initialized', async () => {
    const server = new RawServer();
    servers.push(server);
    server.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'create_app', arguments: { app_name: 'too-early' } } });
    server.send({ jsonrpc: '2.0', id: 2, method: 'ping' }); // the one request allowed before initialize
    const refused = await server.reply(1);
    expect(refused.error?.code).toBe(-32600);
    expect(refused.error?.message).toMatch(/initialize/);
    expect((await server.reply(2)).result).toEqual({});

    await server.initialize();
    server.callTool(3, 'list_apps');
    expect((await server.reply(3)).result?.structuredContent?.apps).not.toContain('too-early'); // it never ran
  });

  it('answers invalid params with -32602 and a short message naming the field, not -32603 and a zod dump', async () => {
    const server = await initialized();
    server.send({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 5 } });
    server.send({ jsonrpc: '2.0', id: 5, method: 'resources/read', params: {} });
    const [badName, noUri] = await Promise.all([server.reply(4), server.reply(5)]);
    expect(badName.error?.code).toBe(-32602);
    expect(badName.error?.message).toMatch(/^Invalid params for tools\/call: params\.name: expected string/);
    expect(noUri.error?.code).toBe(-32602);
    expect(noUri.error?.message).toMatch(/params\.uri/);
    for (const reply of [badName, noUri]) {
      expect(reply.error?.message.length).toBeLessThan(200);
      expect(reply.error?.message).not.toContain('"code"');
    }
    await listAppsStillWorks(server, 6);
  });

  it('refuses an 11 MB line with an error reply, keeps serving, and stays alive', async () => {
    const server = await initialized();
    const huge = `{"jsonrpc":"2.0","id":11,"method":"tools/call","params":{"name":"list_apps","arguments":{"pad":"${'x'.repeat(11 * 1024 * 1024)}"}}}\n`;
    server.send(huge);
    const reply = await server.reply(11, 20_000);
    expect(reply.error?.code).toBe(-32600);
    expect(reply.error?.message).toMatch(/too large.*10 MiB/);
    await listAppsStillWorks(server, 12);
    expect(alive(server.pid)).toBe(true);
  });
});

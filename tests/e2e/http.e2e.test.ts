import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema, type CallToolResult, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { requireBuild, ROOT } from '../support/raw-stdio-server.js';
import { startHttpServer, type HttpServer } from '../support/http-server.js';
import { describeMcpFlows, FLOW_DEPLOY_STEP_MS, ok } from './mcp-flows.js';

/**
 * The BUILT server over HTTP (`--transport http --port 0`, the URL read from its banner), driven by the SDK's own
 * clients: the same flows as over stdio, over Streamable HTTP and over the legacy HTTP+SSE transport, on one server.
 */
const INSPECTOR_CLI = resolve(ROOT, 'node_modules/@modelcontextprotocol/inspector/cli/build/cli.js');
const run = promisify(execFile);

let server: HttpServer;
beforeAll(async () => {
  requireBuild();
  // The flows poll every few ms (an agent polls every 1-2 s): a rate limit they never reach.
  server = await startHttpServer(['--sandbox', '--config', resolve(ROOT, 'tests/fixtures/config/fast-polling.yaml')], { DOKKU_MCP_SANDBOX_DEPLOY_STEP_MS: FLOW_DEPLOY_STEP_MS });
});
afterAll(async () => {
  expect(await server?.stop()).toBe(0); // SIGTERM: sessions closed, then a clean exit
});

describe('over Streamable HTTP (POST/GET/DELETE /mcp)', () => {
  let client: Client;
  let transport: StreamableHTTPClientTransport;
  beforeAll(async () => {
    transport = new StreamableHTTPClientTransport(new URL(server.url));
    client = new Client({ name: 'e2e-http', version: '1.0.0' });
    await client.connect(transport);
  });
  afterAll(async () => {
    await transport.terminateSession(); // DELETE /mcp
    await client.close();
  });

  it('serves the same tools as stdio, in a session of its own', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['list_apps', 'deploy_app', 'destroy_app', 'get_build_logs']));
    expect(tools.length).toBe(27);
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(client.getInstructions()).toContain('SIMULATED');
  });

  it('serves other requests of a session while one of its requests waits on its own open stream', async () => {
    // destroy_app asks the user (elicitation) on its own POST stream and waits: meanwhile other POSTs are answered.
    const held = new Client({ name: 'e2e-held', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
    let asked!: () => void;
    const question = new Promise<void>((done) => (asked = done));
    let reply!: (result: ElicitResult) => void;
    const answer = new Promise<ElicitResult>((done) => (reply = done));
    held.setRequestHandler(ElicitRequestSchema, async () => {
      asked();
      return answer;
    });
    await held.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    ok((await held.callTool({ name: 'create_app', arguments: { app_name: 'http-held' } })) as CallToolResult);

    const order: string[] = [];
    const destroying = held.callTool({ name: 'destroy_app', arguments: { app_name: 'http-held' } }).then((r) => {
      order.push('destroy answered');
      return r as CallToolResult;
    });
    await question;
    const apps = ['node-js-app', 'python-app', 'worker-app'];
    const statuses = (await Promise.all(apps.map((app_name) => held.callTool({ name: 'get_app_status', arguments: { app_name } })))) as CallToolResult[];
    order.push('others answered');
    reply({ action: 'accept', content: { confirm: true } });
    expect(ok(await destroying)).toMatchObject({ destroyed: true });
    expect(statuses.map((s) => ok(s).app_name)).toEqual(apps);
    expect(order).toEqual(['others answered', 'destroy answered']);
    await held.close();
  });

  describeMcpFlows('http', () => client);
});

describe('over the legacy HTTP+SSE transport (GET /sse, POST /messages)', () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ name: 'e2e-sse', version: '1.0.0' });
    await client.connect(new SSEClientTransport(new URL(`${server.base}/sse`)));
  });
  afterAll(async () => client.close());

  it('serves the same tools', async () => {
    const { tools } = await client.listTools();
    expect(tools.length).toBe(27);
  });

  describeMcpFlows('sse', () => client);
});

describe('the try-it commands of the banner, as printed', () => {
  const printed = (label: RegExp) => {
    const line = label.exec(server.stderr())?.[1];
    if (!line) throw new Error(`no ${label} line in the banner:\n${server.stderr()}`);
    return line;
  };

  it('the MCP Inspector CLI (the pinned devDependency, for the printed npx) lists the tools over Streamable HTTP', async () => {
    const command = printed(/Try it: (npx .*)/);
    const prefix = 'npx -y @modelcontextprotocol/inspector@0.15.0 ';
    expect(command.startsWith(prefix)).toBe(true);
    const { stdout } = await run(process.execPath, [INSPECTOR_CLI, ...command.slice(prefix.length).split(' ')], { cwd: ROOT, timeout: 30_000 });
    const names = (JSON.parse(stdout) as { tools: { name: string }[] }).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['list_apps', 'deploy_app', 'get_runtime_logs']));
  });

  it('the curl example initializes a session', async () => {
    const { stdout } = await run('bash', ['-c', printed(/ {4}or: (curl .*)/)], { timeout: 10_000 });
    expect(stdout).toMatch(/^HTTP\/1\.1 200/);
    expect(stdout).toMatch(/^mcp-session-id: [0-9a-f-]{36}\r?$/m);
    expect(stdout).toContain('"serverInfo":{"name":"dokku-mcp"');
  });
});

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describeMcpFlows, FLOW_DEPLOY_STEP_MS, pause } from './mcp-flows.js';

/**
 * Drives the BUILT server (`npm run build`; the Makefile builds before tests) as a client would: a child process
 * speaking MCP over stdio, on the simulated Dokku host, with fast sandbox deploys.
 */
const ROOT = resolve(process.cwd());
const MAIN = resolve(ROOT, 'dist/main.js');
const ENV = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  DOKKU_MCP_SANDBOX_DEPLOY_STEP_MS: FLOW_DEPLOY_STEP_MS,
  DOKKU_MCP_LOG_LEVEL: 'info',
};

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first (make test does).`);
});

describe('dokku-mcp over stdio (built server, sandbox host)', () => {
  let client: Client;
  let stderr = '';

  beforeAll(async () => {
    // It polls every few ms: a config raising the rate limit out of reach (auth is file-only).
    const fastPolling = resolve(ROOT, 'tests/fixtures/config/fast-polling.yaml');
    const transport = new StdioClientTransport({ command: process.execPath, args: [MAIN, '--sandbox', '--config', fastPolling], env: ENV, stderr: 'pipe', cwd: ROOT });
    transport.stderr?.on('data', (chunk) => (stderr += String(chunk)));
    client = new Client({ name: 'e2e', version: '1.0.0' });
    await client.connect(transport);
  });
  afterAll(async () => client.close());

  it('lists the tools with schemas and annotations, and says the host is simulated', async () => {
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect(tools.length).toBe(27);
    expect(byName.get('list_apps')?.annotations).toEqual({ readOnlyHint: true });
    expect(byName.get('deploy_app')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    expect(byName.get('destroy_app')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(byName.get('deploy_app')?.inputSchema.required).toEqual(['app_name', 'repo_url']);
    expect(byName.get('get_build_logs')?.outputSchema?.properties).toHaveProperty('next_offset');
    expect(client.getInstructions()).toContain('SIMULATED');
    expect(stderr).toContain('SANDBOX MODE');
  });

  describeMcpFlows('e2e', () => client);
});

describe('stdout carries only JSON-RPC', () => {
  it('every stdout line of a session is a JSON-RPC 2.0 message, and the server exits when stdin closes', async () => {
    const child = spawn(process.execPath, [MAIN, '--sandbox'], { cwd: ROOT, env: ENV, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', () => undefined);
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);

    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'get_app_status', arguments: { app_name: 'NOPE' } } });
    send({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'list_apps', arguments: {} } });
    for (let i = 0; i < 500 && !stdout.includes('"id":4'); i++) await pause(20);
    child.stdin.end();
    expect(await exited).toBe(0);

    const lines = stdout.split('\n').filter((line) => line !== '');
    expect(lines.length).toBeGreaterThanOrEqual(4);
    const messages = lines.map((line) => JSON.parse(line) as { jsonrpc: string; id?: number });
    for (const message of messages) expect(message.jsonrpc).toBe('2.0');
    expect(messages.map((m) => m.id)).toEqual(expect.arrayContaining([1, 2, 3, 4]));
  });
});

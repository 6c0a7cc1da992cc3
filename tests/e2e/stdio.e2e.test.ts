import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ResourceUpdatedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * Drives the BUILT server (`npm run build`; the Makefile builds before tests) as a client would: a child process
 * speaking MCP over stdio, on the simulated Dokku host, with fast sandbox deploys.
 */
const ROOT = resolve(process.cwd());
const MAIN = resolve(ROOT, 'dist/main.js');
const ENV = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  // One group of build lines per 150 ms: the client reads back to back, so it sees the log grow unless it is starved
  // for that long at every step of the build.
  DOKKU_MCP_SANDBOX_DEPLOY_STEP_MS: '150',
  DOKKU_MCP_LOG_LEVEL: 'info',
};
const REPO = 'https://github.com/heroku/node-js-getting-started.git';
const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));
/** Generous cap on every wait below: only a broken server reaches it, and the error then says what did not happen. */
const WAIT_MS = 20_000;

const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
function ok(r: CallToolResult): Record<string, any> {
  if (r.isError) throw new Error(`tool failed: ${textOf(r)}`);
  return r.structuredContent as Record<string, any>;
}
function failure(r: CallToolResult): string {
  expect(r.isError).toBe(true);
  expect(textOf(r)).not.toMatch(/\n\s+at \S/);
  return textOf(r);
}
const resourceText = (r: { contents: ReadonlyArray<object> }) => {
  const first = r.contents[0];
  return first && 'text' in first ? String(first.text) : '';
};

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first (make test does).`);
});

describe('dokku-mcp over stdio (built server, sandbox host)', () => {
  let client: Client;
  let stderr = '';
  const call = async (name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult;

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
    expect(tools.length).toBe(25);
    expect(byName.get('list_apps')?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, openWorldHint: true });
    expect(byName.get('deploy_app')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    expect(byName.get('destroy_app')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(byName.get('deploy_app')?.inputSchema.required).toEqual(['app_name', 'repo_url']);
    expect(byName.get('get_build_logs')?.outputSchema?.properties).toHaveProperty('next_offset');
    expect(client.getInstructions()).toContain('SIMULATED');
    expect(stderr).toContain('SANDBOX MODE');
  });

  it('creates and deploys an app; the log grows between reads; subscribers hear about it, also after the end', async () => {
    expect(ok(await call('create_app', { app_name: 'e2e-shop' }))).toMatchObject({ created: true });
    const started = ok(await call('deploy_app', { app_name: 'e2e-shop', repo_url: REPO }));
    const id: string = started.deployment_id;
    const logsUri = `dokku://deployment/${id}/logs`;
    expect(started.next_step).toContain(logsUri);

    const statusesSeenOnUpdate: string[] = [];
    const reads: Promise<unknown>[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      if (n.params.uri !== logsUri) return;
      reads.push(client.readResource({ uri: `dokku://deployment/${id}` }).then((r) => statusesSeenOnUpdate.push(JSON.parse(resourceText(r)).status)));
    });
    await client.subscribeResource({ uri: logsUri });

    // Read until the deployment says it is complete (no fixed number of polls, no fixed pause between them).
    const resourceSizes: number[] = [];
    let offset = 0;
    let polled = '';
    for (const deadline = Date.now() + WAIT_MS; ; ) {
      resourceSizes.push(resourceText(await client.readResource({ uri: logsUri })).length);
      const page = ok(await call('get_build_logs', { deployment_id: id, since_offset: offset }));
      polled += page.text;
      offset = page.next_offset;
      if (page.complete) break;
      if (Date.now() > deadline) throw new Error(`deployment ${id} did not complete within ${WAIT_MS} ms`);
      await pause(5);
    }
    const final = ok(await call('get_deployment_status', { deployment_id: id }));
    expect(final).toMatchObject({ status: 'succeeded', exit_code: 0, app_name: 'e2e-shop' });
    expect(new Set(resourceSizes).size).toBeGreaterThan(2); // the transcript grew between reads
    expect(resourceSizes).toEqual([...resourceSizes].sort((a, b) => a - b));
    expect(polled).toBe(resourceText(await client.readResource({ uri: logsUri })));

    // The update after the end is debounced: wait for it (the cap is reached only if it never comes).
    for (const deadline = Date.now() + WAIT_MS; !statusesSeenOnUpdate.includes('succeeded') && Date.now() < deadline; ) await pause(20);
    await Promise.all(reads);
    expect(statusesSeenOnUpdate).toContain('running'); // updates while it ran…
    expect(statusesSeenOnUpdate).toContain('succeeded'); // …and one after it ended
    await client.unsubscribeResource({ uri: logsUri });
    expect(ok(await call('get_app_status', { app_name: 'e2e-shop' }))).toMatchObject({ deployed: true });
  });

  it('a repository URL containing "fail" ends failed', async () => {
    await call('create_app', { app_name: 'e2e-broken' });
    const { deployment_id } = ok(await call('deploy_app', { app_name: 'e2e-broken', repo_url: 'https://github.com/acme/will-fail.git' }));
    let status: Record<string, any> = {};
    for (const deadline = Date.now() + WAIT_MS; Date.now() < deadline; ) {
      status = ok(await call('get_deployment_status', { deployment_id }));
      if (!status.active) break;
      await pause(40);
    }
    expect(status.status).toBe('failed');
    expect(status.error).toEqual(expect.any(String));
  });

  it('destroys an app only with a matching confirm_name', async () => {
    await call('create_app', { app_name: 'e2e-doomed' });
    expect(failure(await call('destroy_app', { app_name: 'e2e-doomed' }))).toContain('confirm_name: "e2e-doomed"');
    expect(ok(await call('list_apps')).apps).toContain('e2e-doomed');
    expect(ok(await call('destroy_app', { app_name: 'e2e-doomed', confirm_name: 'e2e-doomed' }))).toMatchObject({ destroyed: true });
    expect(ok(await call('list_apps')).apps).not.toContain('e2e-doomed');
  });

  it('answers bad inputs with errors that say what to do', async () => {
    expect(failure(await call('get_app_status', { app_name: 'Bad_Name' }))).toContain('an app name must begin with a lowercase alphanumeric character');
    expect(failure(await call('get_app_status', { app_name: 'foo' }))).toBe('App "foo" does not exist. Call list_apps to see the apps on this host.');
    expect(failure(await call('get_build_logs', { deployment_id: 'deploy_0000000000zz' }))).toContain('list_deployments');
    expect(failure(await call('get_runtime_logs', { app_name: 'node-js-app', lines: 5000 }))).toContain('logs.runtime.max_lines = 1000');
    expect(failure(await call('scale_app', { app_name: 'node-js-app', processes: { web: 5000 } }))).toContain('from 0 to 100');
    expect(failure(await call('get_build_logs', { deployment_id: 'deploy_0000000000zz', since_offset: -1 }))).toMatch(/since_offset/);
    for (const image of ['dokku/node-js-app:latest', 'index.docker.io/dokku/node-js-app:latest', 'registry-1.docker.io/dokku/python-app']) {
      expect(failure(await call('deploy_image', { app_name: 'python-app', image }))).toContain('"dokku/" namespace');
    }
    await expect(client.readResource({ uri: 'dokku://app/foo' })).rejects.toThrow('App "foo" does not exist.');
    expect(ok(await call('list_apps')).apps).toContain('node-js-app'); // still serving
  });
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

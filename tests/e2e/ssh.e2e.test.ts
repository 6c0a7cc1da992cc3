import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startSshd, type SshdFixture } from '../support/sshd-fixture.js';

/**
 * The whole real path: the BUILT server over stdio, the real SSH adapter, a real OpenSSH sshd on loopback and the
 * Dokku stand-in as its forced command. What an operator gets with `--ssh-host`.
 */
const ROOT = resolve(process.cwd());
const MAIN = resolve(ROOT, 'dist/main.js');
const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
function ok(r: CallToolResult): Record<string, any> {
  if (r.isError) throw new Error(`tool failed: ${textOf(r)}`);
  return r.structuredContent as Record<string, any>;
}
const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function connect(args: string[], env: Record<string, string>): Promise<{ client: Client; stderr: () => string }> {
  let stderr = '';
  const transport = new StdioClientTransport({
    command: process.execPath,
    // The suites poll every few ms: a config raising the rate limit out of reach (auth is file-only).
    args: [MAIN, '--config', resolve(ROOT, 'tests/fixtures/config/fast-polling.yaml'), ...args],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stderr: 'pipe',
    cwd: ROOT,
  });
  transport.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const client = new Client({ name: 'e2e-ssh', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first (make test does).`);
});

describe('dokku-mcp over stdio against a Dokku host over real SSH', () => {
  let fixture: SshdFixture;
  let client: Client;
  let stderr: () => string;
  const call = async (name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult;

  beforeAll(async () => {
    fixture = await startSshd({ deployStepMs: 20 });
    ({ client, stderr } = await connect(
      ['--ssh-host', fixture.host, '--ssh-port', String(fixture.port), '--ssh-user', fixture.user, '--ssh-key', fixture.clientKeyPath],
      { DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT: fixture.hostKeyFingerprint },
    ));
  });
  afterAll(async () => {
    await client?.close();
    await fixture?.stop().catch(() => undefined); // the last test already stopped it
  });

  it('lists the apps the host has', async () => {
    const result = ok(await call('list_apps'));
    expect(JSON.stringify(result)).toContain('node-js-app');
    expect(fixture.argvLog().some((argv) => argv.includes('apps:list'))).toBe(true);
  });

  it('reads runtime logs: exact count merged across containers, parsed, ANSI-free and redacted', async () => {
    const result = ok(await call('get_runtime_logs', { app_name: 'node-js-app', lines: 7 }));
    expect(result.lines).toBe(7);
    expect(result.requested_lines).toBe(7);
    expect(result.entries).toHaveLength(7);
    expect(result.logs).not.toContain('\u001b[');
    for (const entry of result.entries) expect(entry.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    const argv = fixture.argvLog().find((a) => a[0] === 'logs');
    expect(argv).toEqual(['logs', 'node-js-app', '--num', '7']);
    const all = ok(await call('get_runtime_logs', { app_name: 'node-js-app', lines: 200 }));
    expect(all.logs).toMatch(/\[REDACTED\]/);
    expect(all.logs).not.toMatch(/postgres:\/\/[^:\s]+:(?!\[REDACTED\])[^@\s]+@/);
  });

  it('deploys from git and follows the build log until the host says it is deployed', async () => {
    ok(await call('create_app', { app_name: 'e2e-ssh-app' }));
    const started = ok(await call('deploy_app', { app_name: 'e2e-ssh-app', repo_url: 'https://github.com/heroku/node-js-getting-started.git', git_ref: 'main' }));
    const id = started.deployment_id as string;
    let offset = 0;
    let text = '';
    let complete = false;
    for (let i = 0; i < 300 && !complete; i++) {
      const page = ok(await call('get_build_logs', { deployment_id: id, since_offset: offset }));
      text += page.text;
      offset = page.next_offset;
      complete = page.complete;
      if (!complete) await pause(50);
    }
    expect(complete).toBe(true);
    expect(text).toContain('-----> Cloning e2e-ssh-app from https://github.com/heroku/node-js-getting-started.git#main');
    expect(text).toContain('=====> Application deployed:');
    expect(ok(await call('get_deployment_status', { deployment_id: id })).status).toBe('succeeded');
    expect(fixture.argvLog()).toContainEqual(['git:sync', '--build', 'e2e-ssh-app', 'https://github.com/heroku/node-js-getting-started.git', 'main']);
    expect(ok(await call('get_app_status', { app_name: 'e2e-ssh-app' })).deployed).toBe(true);
  });

  it('maps Dokku errors to actionable tool errors', async () => {
    const missing = await call('get_app_status', { app_name: 'no-such-app' });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toContain('App "no-such-app" does not exist. Call list_apps');
    const undeployed = await call('get_runtime_logs', { app_name: 'python-app' });
    expect(undeployed.isError).toBe(true);
    expect(textOf(undeployed)).toMatch(/has not been deployed/);
  });

  it('keeps serving after the host goes away: no crash, a clear error naming host:port', async () => {
    const port = fixture.port;
    await fixture.stop();
    const down = await call('list_apps');
    expect(down.isError).toBe(true);
    expect(textOf(down)).toContain(`127.0.0.1:${port}`);
    expect(textOf(down)).not.toMatch(/\n\s+at \S/);
    expect(stderr()).not.toMatch(/uncaught exception/i);
    const stillUp = await call('get_deployment_status', { deployment_id: 'deploy_0000000000unknown' });
    expect(textOf(stillUp)).toMatch(/list_deployments/);
  });
});

describe('dokku-mcp refuses an unpinned host key', () => {
  it('answers with how to pin it, and stays up', async () => {
    const fixture = await startSshd();
    const { client } = await connect(
      ['--ssh-host', fixture.host, '--ssh-port', String(fixture.port), '--ssh-user', fixture.user, '--ssh-key', fixture.clientKeyPath],
      {},
    );
    try {
      const result = (await client.callTool({ name: 'list_apps', arguments: {} })) as CallToolResult;
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/ssh-keyscan/);
      expect(textOf(result)).toMatch(/host_key_fingerprint|known_hosts/);
      expect(fixture.argvLog()).toHaveLength(0);
      const again = (await client.callTool({ name: 'list_apps', arguments: {} })) as CallToolResult;
      expect(again.isError).toBe(true);
    } finally {
      await client.close();
      await fixture.stop();
    }
  });
});

describe('dokku-mcp against a host whose Dokku hangs', () => {
  let fixture: SshdFixture;
  let client: Client;
  const call = async (name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult;
  const statusOf = async (id: string) => ok(await call('get_deployment_status', { deployment_id: id }));
  const untilEnded = async (id: string) => {
    for (let i = 0; i < 400; i++) {
      const status = await statusOf(id);
      if (status.status !== 'running' && status.status !== 'pending') return status;
      await pause(50);
    }
    throw new Error(`deployment ${id} is still running`);
  };
  const hangingRepo = 'https://github.com/example/hang.git';

  beforeAll(async () => {
    fixture = await startSshd({ deployStepMs: 20 });
    ({ client } = await connect(
      ['--ssh-host', fixture.host, '--ssh-port', String(fixture.port), '--ssh-user', fixture.user, '--ssh-key', fixture.clientKeyPath],
      { DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT: fixture.hostKeyFingerprint, DOKKU_MCP_SSH_COMMAND_TIMEOUT_MS: '1500', DOKKU_MCP_SSH_DEPLOY_TIMEOUT_MS: '2500' },
    ));
  });
  afterAll(async () => {
    await client?.close();
    await fixture?.stop();
  });

  it('a hung command answers at ssh.command_timeout_ms with what to do; the next call works', async () => {
    fixture.seed({ apps: fixture.readState().apps, hang: ['ps:report'] });
    const started = Date.now();
    const hung = await call('get_app_status', { app_name: 'node-js-app' });
    expect(Date.now() - started).toBeLessThan(1500 + 2000);
    expect(hung.isError).toBe(true);
    expect(textOf(hung)).toMatch(/no complete answer within 1500 ms.*ssh\.command_timeout_ms/s);
    fixture.seed({ apps: fixture.readState().apps, hang: [] });
    expect(JSON.stringify(ok(await call('list_apps')))).toContain('node-js-app');
  });

  it('a hung deploy ends failed at ssh.deploy_timeout_ms, and the app takes a new deploy', async () => {
    const first = ok(await call('deploy_app', { app_name: 'node-js-app', repo_url: hangingRepo })).deployment_id as string;
    const ended = await untilEnded(first);
    expect(ended.status).toBe('failed');
    expect(JSON.stringify(ended)).toMatch(/did not finish within ssh\.deploy_timeout_ms \(2500 ms\); it was canceled on the host/);
    const next = ok(await call('deploy_app', { app_name: 'node-js-app', repo_url: 'https://github.com/heroku/node-js-getting-started.git' }));
    expect((await untilEnded(next.deployment_id as string)).status).toBe('succeeded');
  });

  it('cancel_deployment stops a hung deploy', async () => {
    const before = fixture.hungPids().length;
    const id = ok(await call('deploy_app', { app_name: 'node-js-app', repo_url: hangingRepo })).deployment_id as string;
    for (let i = 0; i < 200 && fixture.hungPids().length === before; i++) await pause(50);
    expect(fixture.hungPids().length).toBe(before + 1);
    ok(await call('cancel_deployment', { deployment_id: id }));
    expect((await untilEnded(id)).status).toBe('canceled');
  });
});

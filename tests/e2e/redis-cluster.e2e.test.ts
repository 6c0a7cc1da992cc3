import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResourceUpdatedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startHttpServer, type HttpServer } from '../support/http-server.js';
import { requireBuild, ROOT } from '../support/raw-stdio-server.js';
import { startRedis, type RedisFixture } from '../support/redis-fixture.js';
import { startSshd, type SshdFixture } from '../support/sshd-fixture.js';
import { bodyOf } from '../support/untrusted-fences.js';

/**
 * Deployments shared over Redis, end to end: BUILT server instances over HTTP, one real redis-server, one Dokku host
 * (the stand-in behind a real sshd) that every instance reaches over its own SSH connection. A deploy started on A is
 * read on B by offset and followed there through a subscription; a deploy of one app raced on A and B runs once; an
 * instance killed mid-deploy is settled by another from the host's build record; a deploy running while Redis is down
 * has its outcome written when Redis is back, and no new deploy reaches the host meanwhile.
 */
const LEASE_MS = 1_000;
const REPO = 'https://github.com/heroku/node-js-getting-started.git';
const prefix = `cluster-${randomUUID().slice(0, 8)}:`;
let redis: RedisFixture;
let sshd: SshdFixture;
let a: HttpServer;
let b: HttpServer;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
function ok(r: CallToolResult): Record<string, any> {
  if (r.isError) throw new Error(`tool failed: ${textOf(r)}`);
  return r.structuredContent as Record<string, any>;
}

function instance(): Promise<HttpServer> {
  return startHttpServer(
    ['--config', resolve(ROOT, 'tests/fixtures/config/fast-polling.yaml'), '--ssh-host', sshd.host, '--ssh-port', String(sshd.port), '--ssh-user', sshd.user,
      '--ssh-key', sshd.clientKeyPath, '--store', 'redis', '--redis-url', redis.url],
    { DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT: sshd.hostKeyFingerprint, DOKKU_MCP_STORE_KEY_PREFIX: prefix, DOKKU_MCP_STORE_LEASE_TTL_MS: String(LEASE_MS) },
  );
}

interface Session {
  readonly client: Client;
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}
async function session(server: HttpServer): Promise<Session> {
  const client = new Client({ name: 'e2e-cluster', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
  return {
    client,
    call: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: () => client.close(),
  };
}

async function until<T>(attempt: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt().catch((error: unknown) => error as T);
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await pause(50);
  }
}
const ended = (s: Session, id: string) =>
  until(() => s.call('get_deployment_status', { deployment_id: id }), (r) => !r.isError && r.structuredContent?.active === false, `${id} to end`);

beforeAll(async () => {
  requireBuild();
  [redis, sshd] = await Promise.all([startRedis(), startSshd({ deployStepMs: 120 })]);
  [a, b] = await Promise.all([instance(), instance()]);
});
afterAll(async () => {
  await redis?.start();
  const codes = await Promise.all([a?.stop(), b?.stop()]);
  await Promise.all([redis?.dispose(), sshd?.stop()]);
  expect(codes).toEqual([0, 0]); // nothing crashed along the way
});

describe('two instances over one Redis and one Dokku host', () => {
  let onA: Session;
  let onB: Session;
  beforeAll(async () => { [onA, onB] = await Promise.all([session(a), session(b)]); });
  afterAll(async () => { await Promise.all([onA.close(), onB.close()]); });

  it('a deploy started on A is polled by offset, subscribed to and read whole on B', async () => {
    const { deployment_id: id } = ok(await onA.call('deploy_app', { app_name: 'node-js-app', repo_url: REPO }));
    expect(id).toMatch(/^node-js-app\.[0-9a-z]{14}$/);
    const logsUri = `dokku://deployment/${id}/logs`;
    const updates: string[] = [];
    onB.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    await onB.client.subscribeResource({ uri: logsUri });

    let offset = 0;
    let polled = '';
    const pages: number[] = [];
    for (const deadline = Date.now() + 30_000; ; await pause(40)) {
      const page = ok(await onB.call('get_build_logs', { deployment_id: id, since_offset: offset }));
      expect(page.skipped_bytes).toBe(0);
      polled += page.text;
      if (page.text) pages.push(page.next_offset);
      offset = page.next_offset;
      if (page.complete) break;
      if (Date.now() > deadline) throw new Error('the deploy did not end');
    }
    expect(pages.length).toBeGreaterThan(2); // read while it grew on A, not only at the end
    const whole = await onB.client.readResource({ uri: logsUri });
    const text = bodyOf(String((whole.contents[0] as { text: string }).text));
    expect(polled).toBe(text);
    expect(offset).toBe(Buffer.byteLength(text));
    expect(text).toContain('=====> Application deployed:');
    expect(updates).toContain(logsUri);
    const [onBStatus, onAStatus] = [ok(await onB.call('get_deployment_status', { deployment_id: id })), ok(await onA.call('get_deployment_status', { deployment_id: id }))];
    expect(onBStatus).toMatchObject({ deployment_id: id, status: 'succeeded', active: false, log_size: offset, processes: ['web.1'] });
    expect(onBStatus).toEqual(onAStatus);
    await onB.client.unsubscribeResource({ uri: logsUri });
  });

  it('two deploys of one app started on A and B in the same instant: one runs, the other gets CONFLICT naming it', async () => {
    const hostDeploysBefore = sshd.argvLog().filter((argv) => argv.includes('git:sync')).length;
    const results = await Promise.all([onA, onB].map((s) => s.call('deploy_app', { app_name: 'python-app', repo_url: REPO })));
    const started = results.filter((r) => !r.isError);
    const refused = results.filter((r) => r.isError);
    expect(started).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const id = ok(started[0]!).deployment_id as string;
    expect(textOf(refused[0]!)).toMatch(/^App "python-app" already has a deployment running \((\S+)\)\./);
    const named = /running \((\S+)\)/.exec(textOf(refused[0]!))![1]!;
    // It names the running deployment: by its id, or by the key it had before its host build was linked.
    expect((await onB.call('get_deployment_status', { deployment_id: named })).structuredContent).toMatchObject({ deployment_id: id });
    expect(sshd.argvLog().filter((argv) => argv.includes('git:sync')).length - hostDeploysBefore).toBe(1);
    expect(ok(await ended(onB, id))).toMatchObject({ status: 'succeeded' });
  });

  it('an instance killed mid-deploy: another settles its deployment from the host build record', async () => {
    const c = await instance();
    const onC = await session(c);
    const { deployment_id: id } = ok(await onC.call('deploy_app', { app_name: 'node-js-app', repo_url: REPO }));
    await until(() => onB.call('get_build_logs', { deployment_id: id }), (r) => String(r.structuredContent?.text ?? '').includes('Building node-js-app'), 'the build to run');
    c.child.kill('SIGKILL');
    await c.stop();
    const settled = ok(await ended(onB, id));
    expect(settled).toMatchObject({ deployment_id: id, status: 'failed' });
    expect(settled.error).toMatch(/^Dokku recorded it as abandoned: .*; the dokku-mcp instance running it stopped before it ended/);
    // The app is free again: the next deploy runs.
    const next = ok(await onA.call('deploy_app', { app_name: 'node-js-app', repo_url: REPO }));
    expect(ok(await ended(onA, next.deployment_id))).toMatchObject({ status: 'succeeded' });
  });

  it('Redis stopped mid-deploy: no new deploy reaches the host meanwhile; the outcome is written when Redis is back', async () => {
    const { deployment_id: id } = ok(await onA.call('deploy_app', { app_name: 'python-app', repo_url: REPO }));
    await until(() => onB.call('get_build_logs', { deployment_id: id }), (r) => String(r.structuredContent?.text ?? '').includes('Building python-app'), 'the build to run');
    await redis.stop();
    const refused = await until(() => onB.call('deploy_app', { app_name: 'node-js-app', repo_url: REPO }), (r) => r.isError === true, 'a refusal');
    expect(textOf(refused)).toMatch(/^state store unreachable: Redis at /);
    const deploysSent = sshd.argvLog().filter((argv) => argv.includes('git:sync')).length;
    // The deploy goes on at the host and ends there while Redis is away.
    await until(async () => (sshd.readState().apps['python-app'].builds as Array<{ status: string }>).filter((x) => x.status === 'running').length, (n) => n === 0, 'the host build to end');
    await redis.start(); // empty: no persistence
    const status = ok(await ended(onB, id));
    expect(status).toMatchObject({ deployment_id: id, status: 'succeeded' });
    const log = ok(await onB.call('get_build_logs', { deployment_id: id }));
    expect(log).toMatchObject({ complete: true, next_offset: status.log_size });
    expect(log.text).toContain('=====> Application deployed:');
    expect(sshd.argvLog().filter((argv) => argv.includes('git:sync')).length).toBe(deploysSent);
  });
});

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ResourceUpdatedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startSshd, type SshdFixture } from '../support/sshd-fixture.js';
import { bodyOf } from '../support/untrusted-fences.js';

/**
 * The host's own build record (Dokku 0.38 builds:*), verified deploys and rollback, end to end: the BUILT server over
 * stdio, the real SSH adapter, a real sshd with the Dokku stand-in. A "git push" is started at the stand-in outside
 * the server, as a person at a terminal would.
 */
const ROOT = resolve(process.cwd());
const MAIN = resolve(ROOT, 'dist/main.js');
const REPO = 'https://github.com/heroku/node-js-getting-started.git';
const PUSH_SECRET = 'ghp_pushS3cretToken42'; // the stand-in's git-push transcript echoes it in a URL
const WAIT_MS = 30_000;
const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));
const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
function ok(r: CallToolResult): Record<string, any> {
  if (r.isError) throw new Error(`tool failed: ${textOf(r)}`);
  return r.structuredContent as Record<string, any>;
}
const resourceText = (r: { contents: ReadonlyArray<object> }) => {
  const first = r.contents[0];
  return first && 'text' in first ? String(first.text) : '';
};

let fixture: SshdFixture;

async function connect(): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [MAIN, '--config', resolve(ROOT, 'tests/fixtures/config/fast-polling.yaml'), '--ssh-host', fixture.host, '--ssh-port', String(fixture.port),
      '--ssh-user', fixture.user, '--ssh-key', fixture.clientKeyPath],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT: fixture.hostKeyFingerprint },
    stderr: 'pipe',
    cwd: ROOT,
  });
  const client = new Client({ name: 'e2e-builds', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

describe("dokku-mcp and the host's build record, over real SSH", () => {
  let client: Client;
  const call = async (name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult;
  const status = async (id: string) => ok(await call('get_deployment_status', { deployment_id: id }));
  async function untilEnded(id: string): Promise<Record<string, any>> {
    for (const deadline = Date.now() + WAIT_MS; Date.now() < deadline; await pause(50)) {
      const now = await status(id);
      if (!now.active) return now;
    }
    throw new Error(`deployment ${id} did not end within ${WAIT_MS} ms`);
  }
  /** The host build of `app` that list_deployments shows running, once it does. */
  async function listedRunning(app: string): Promise<Record<string, any>> {
    for (const deadline = Date.now() + WAIT_MS; Date.now() < deadline; await pause(30)) {
      const found = ok(await call('list_deployments')).deployments.find((d: Record<string, any>) => d.app_name === app && d.status === 'running');
      if (found) return found;
    }
    throw new Error(`no running build of ${app} was listed`);
  }

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "make build" first (make test does).`);
    fixture = await startSshd({ deployStepMs: 20 });
    client = await connect();
  });
  afterAll(async () => {
    await client?.close();
    await fixture?.stop();
  });

  it('says which host features it found', async () => {
    const info = JSON.parse(resourceText(await client.readResource({ uri: 'dokku://server/info' })));
    expect(info.features).toMatchObject({ host_build_record: true, deployment_ids_survive_restart: true, verified_deploys: true, rollback: true });
  });

  let pushId = '';
  it('an outside git push shows in list_deployments and is followed live through the resource to its end, sanitized', async () => {
    const push = fixture.push('node-js-app', { stepMs: 100 });
    const listed = await listedRunning('node-js-app');
    expect(listed).toMatchObject({ origin: 'host', kind: 'git_push', source: 'git-hook', finished_at: null, duration_ms: null });
    pushId = listed.deployment_id;
    expect(pushId).toMatch(/^node-js-app\.[0-9a-z]{14}$/);

    const logsUri = `dokku://deployment/${pushId}/logs`;
    const updates: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    await client.subscribeResource({ uri: logsUri });
    const sizesWhileRunning = new Set<number>();
    for (const deadline = Date.now() + WAIT_MS; ; await pause(40)) {
      const [log, deployment] = await Promise.all([client.readResource({ uri: logsUri }), client.readResource({ uri: `dokku://deployment/${pushId}` })]);
      const state = JSON.parse(resourceText(deployment));
      if (!state.active) break;
      sizesWhileRunning.add(resourceText(log).length);
      if (Date.now() > deadline) throw new Error('the push did not end');
    }
    expect(await push.done).toBe(0);
    expect(sizesWhileRunning.size).toBeGreaterThan(2); // it grew while we read it: followed live, not read at the end
    expect(updates).toContain(logsUri);

    const ended = await status(pushId);
    expect(ended).toMatchObject({ origin: 'host', kind: 'git_push', status: 'succeeded', exit_code: 0 });
    const log = bodyOf(resourceText(await client.readResource({ uri: logsUri })));
    expect(log).toContain('-----> Preparing node-js-app (git push)');
    expect(log).toContain('=====> Application deployed:');
    expect(log).toContain('https://deploy:[REDACTED]@github.com/acme/buildpack.git');
    expect(log).not.toContain(PUSH_SECRET);
    const page = ok(await call('get_build_logs', { deployment_id: pushId, since_offset: 0 }));
    expect(page).toMatchObject({ complete: true, status: 'succeeded', next_offset: Buffer.byteLength(log) });
    const [again] = ok(await call('list_deployments', { app_name: 'node-js-app' })).deployments;
    expect(again).toMatchObject({ deployment_id: pushId, status: 'succeeded', duration_ms: expect.any(Number) });
    await client.unsubscribeResource({ uri: logsUri });
  });

  it('attaching late to a long build: the log starts with a marker saying the start was skipped, offsets count from there', async () => {
    // Slow steps, so that the build still runs when its replay is in, however busy the machine (a build that ends
    // during the replay gives its whole log instead: builds-follow.sshd.test).
    const push = fixture.push('node-js-app', { lines: 1500, stepMs: 600 });
    const { deployment_id: id } = await listedRunning('node-js-app');
    await pause(1_500); // the 1500 lines (its second step) are written by now: Dokku's tail replays only the last 1000
    let first = ok(await call('get_build_logs', { deployment_id: id, since_offset: 0 }));
    // The replay is held back until it is complete (it decides whether the marker goes first).
    for (const deadline = Date.now() + WAIT_MS; first.text === '' && Date.now() < deadline; await pause(30)) {
      first = ok(await call('get_build_logs', { deployment_id: id, since_offset: 0 }));
    }
    expect(first.text.split('\n')[0]).toMatch(/^\[dokku-mcp: attached to this build while it was running; Dokku replays only the last 1000 lines/);
    await untilEnded(id);
    expect(await push.done).toBe(0);
    const rest = ok(await call('get_build_logs', { deployment_id: id, since_offset: first.next_offset }));
    const whole = first.text + rest.text;
    expect(whole).toBe(bodyOf(resourceText(await client.readResource({ uri: `dokku://deployment/${id}/logs` }))));
    expect(whole).not.toContain('unpacking object 1 of 1500\n');
    expect(whole).toContain('unpacking object 1500 of 1500\n');
    expect(whole).toContain('=====> Application deployed:');
  });

  let crashId = '';
  it('a deploy that exits 0 but leaves its web process down ends failed, saying which', async () => {
    ok(await call('create_app', { app_name: 'e2e-crash' }));
    crashId = ok(await call('deploy_app', { app_name: 'e2e-crash', repo_url: 'https://github.com/example/crash-on-start.git' })).deployment_id;
    expect(crashId).toMatch(/^e2e-crash\.[0-9a-z]{14}$/); // Dokku's build id, learned before deploy_app answered
    const ended = await untilEnded(crashId);
    expect(ended).toMatchObject({ status: 'failed', exit_code: 0 });
    expect(ended.error).toMatch(/^Dokku exited 0, but not every process is running afterwards: web: 0 of 1 running \(exited\)/);
    expect(ended).not.toHaveProperty('processes');
  });

  let rollbackId = '';
  it('rollback_app redeploys the previous commit exactly (git:sync at its SHA); refusals send nothing to the host', async () => {
    ok(await call('create_app', { app_name: 'e2e-rb' }));
    const first = await untilEnded(ok(await call('deploy_app', { app_name: 'e2e-rb', repo_url: REPO })).deployment_id);
    expect(first).toMatchObject({ status: 'succeeded', processes: ['web.1'], urls: ['http://e2e-rb.dokku.me'] });
    const firstSha = fixture.readState().apps['e2e-rb'].gitSha as string;
    await untilEnded(ok(await call('deploy_app', { app_name: 'e2e-rb', repo_url: REPO })).deployment_id);
    expect(fixture.readState().apps['e2e-rb'].gitSha).not.toBe(firstSha);

    fixture.clearArgvLog();
    const refusals = [
      await call('rollback_app', { app_name: 'python-app' }),
      await call('rollback_app', { app_name: 'node-js-app', deployment_id: pushId }),
      await call('rollback_app', { app_name: 'e2e-rb', deployment_id: 'e2e-rb.zz0000000000zz' }),
      await call('rollback_app', { app_name: 'e2e-rb', deployment_id: 'not an id' }),
    ];
    expect(fixture.argvLog()).toEqual([]); // not one command reached the host
    const [none, push, unknown, malformed] = refusals.map((r) => (expect(r.isError).toBe(true), textOf(r)));
    expect(none).toMatch(/No earlier successful deploy of "python-app" is known to roll back to.*nothing was sent to the host\. To deploy an earlier version anyway: deploy_app/);
    expect(push).toMatch(/was a git push to the host: it leaves no remote repository.*Push that commit again, or deploy it with deploy_app/);
    expect(unknown).toMatch(/no exact source recorded for e2e-rb\.zz0000000000zz.*none from before a restart/);
    expect(malformed).toMatch(/deployment_id.*<app>\.<Dokku build id>/);

    rollbackId = ok(await call('rollback_app', { app_name: 'e2e-rb' })).deployment_id;
    const back = await untilEnded(rollbackId);
    expect(back).toMatchObject({ kind: 'rollback', status: 'succeeded', source: { type: 'git', repo_url: REPO, git_ref: firstSha } });
    expect(fixture.argvLog()).toContainEqual(['git:sync', '--build', 'e2e-rb', REPO, firstSha]);
    expect(fixture.readState().apps['e2e-rb'].gitSha).toBe(firstSha);
  });

  it('a restarted server still answers for the deployment ids it issued, from the host', async () => {
    await client.close();
    client = await connect();
    const remembered = await status(rollbackId);
    expect(remembered).toMatchObject({ deployment_id: rollbackId, origin: 'host', kind: 'deploy', status: 'succeeded', exit_code: 0 });
    const log = ok(await call('get_build_logs', { deployment_id: rollbackId }));
    expect(log.text).toContain(`Fetching remote code for e2e-rb from ${REPO}#`);
    expect(log.complete).toBe(true);
    expect(await status(crashId)).toMatchObject({ origin: 'host', status: 'succeeded' }); // the host only saw its exit 0
    const listed = ok(await call('list_deployments', { app_name: 'e2e-rb' })).deployments.map((d: Record<string, any>) => d.deployment_id);
    expect(listed.filter((id: string) => id === rollbackId)).toHaveLength(1);
    // What it no longer has is its own record of commits: rollback says so, and sends nothing.
    fixture.clearArgvLog();
    expect(textOf(await call('rollback_app', { app_name: 'e2e-rb' }))).toMatch(/knows none; nothing was sent to the host/);
    expect(fixture.argvLog()).toEqual([]);
  });

  it('an older Dokku (no builds:*): memory only, and dokku://server/info says so', async () => {
    fixture.setVersion('0.37.9');
    await client.close();
    client = await connect();
    fixture.clearArgvLog();
    const info = JSON.parse(resourceText(await client.readResource({ uri: 'dokku://server/info' })));
    expect(info.features).toMatchObject({ host_build_record: false, deployment_ids_survive_restart: false, note: expect.stringContaining('< 0.38') });
    const listing = ok(await call('list_deployments'));
    expect(listing).toMatchObject({ deployments: [], host_record: 'unsupported (Dokku < 0.38)' });
    const unknown = await call('get_deployment_status', { deployment_id: rollbackId });
    expect(textOf(unknown)).toMatch(/does not exist\. Call list_deployments/);
    expect(fixture.argvLog().filter((argv) => argv[0]?.startsWith('builds:'))).toEqual([]);
  });
});

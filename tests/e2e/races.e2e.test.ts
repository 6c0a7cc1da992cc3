import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startHttpServer, type HttpServer } from '../support/http-server.js';
import { requireBuild, ROOT } from '../support/raw-stdio-server.js';
import { startSshd, type SeedApp, type SshdFixture } from '../support/sshd-fixture.js';
import { waitUntil } from '../support/wait-for.js';

/**
 * Races between two HTTP sessions of the BUILT server against the real sshd and the Dokku stand-in: each pair of calls
 * is issued together (one Promise.all, two sessions), so both are in flight at once. Of two changes of one app exactly
 * one reaches the host; the other is refused with CONFLICT naming the deployment that runs. A human's `git push`
 * holding Dokku's deploy lock is a CONFLICT naming the host's build, never a failed deployment of ours.
 */
const REPO = 'https://github.com/heroku/node-js-getting-started.git';
const CONFIG = resolve(ROOT, 'tests/fixtures/config/fast-polling.yaml');
const WAIT = 20_000;
const deployed = (extra: SeedApp = {}): SeedApp => ({ deployed: true, running: true, scale: { web: 1 }, source: REPO, ref: 'main', ...extra });
const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
const ok = (r: CallToolResult): Record<string, any> => {
  if (r.isError) throw new Error(`tool failed: ${textOf(r)}`);
  return r.structuredContent as Record<string, any>;
};
/** The deployment a CONFLICT names: "App "x" already has a deployment running (<id>)." */
const RUNNING = /already has a deployment running \(([^)\s]+)\)/;

let fixture: SshdFixture;
let server: HttpServer;
let a: Client;
let b: Client;

async function session(name: string): Promise<Client> {
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
  return client;
}
const callOn = async (client: Client, name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult;
const status = async (id: string) => ok(await callOn(a, 'get_deployment_status', { deployment_id: id }));
async function untilEnded(id: string): Promise<Record<string, any>> {
  for (const deadline = Date.now() + WAIT; Date.now() < deadline; await new Promise((r) => setTimeout(r, 40))) {
    const now = await status(id);
    if (!now.active) return now;
  }
  throw new Error(`deployment ${id} did not end within ${WAIT} ms`);
}
/** Nothing of `app` is left pending or running, here or as the metrics count it. */
async function nothingRunning(app: string): Promise<void> {
  const { deployments } = ok(await callOn(a, 'list_deployments', { app_name: app }));
  expect(deployments.filter((d: { status: string }) => d.status === 'running' || d.status === 'pending')).toEqual([]);
}
const calls = (subcommand: string, app: string) => fixture.argvLog().filter((argv) => argv[0] === subcommand && argv.includes(app)).length;

/**
 * Issues both calls together from the two sessions; exactly one must start a deployment, the other must be refused
 * with CONFLICT naming it. Returns the winner's deployment id once it has ended.
 */
async function race(name: string, first: Record<string, unknown>, second: Record<string, unknown>): Promise<{ id: string; loser: string }> {
  const results = await Promise.all([callOn(a, name, first), callOn(b, name, second)]);
  const winners = results.filter((r) => !r.isError);
  const losers = results.filter((r) => r.isError);
  expect({ winners: winners.length, losers: losers.map(textOf) }).toMatchObject({ winners: 1, losers: [expect.stringMatching(RUNNING)] });
  const id = winners[0]!.structuredContent!.deployment_id as string;
  const named = RUNNING.exec(textOf(losers[0]!))![1]!;
  expect(textOf(losers[0]!)).toContain(`get_deployment_status("${named}")`);
  // The refusal names the deployment that runs: its id, or the key it was created with (both answer for it).
  expect((await status(named)).deployment_id).toBe((await status(id)).deployment_id);
  const ended = await untilEnded(id);
  expect(ended.status).toBe('succeeded');
  return { id, loser: textOf(losers[0]!) };
}

beforeAll(async () => {
  requireBuild();
  fixture = await startSshd({ deployStepMs: 10 });
  server = await startHttpServer(
    ['--config', CONFIG, '--ssh-host', fixture.host, '--ssh-port', String(fixture.port), '--ssh-user', fixture.user, '--ssh-key', fixture.clientKeyPath],
    { DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT: fixture.hostKeyFingerprint, DOKKU_MCP_SHUTDOWN_GRACE_SECONDS: '0' },
  );
  [a, b] = await Promise.all([session('race-a'), session('race-b')]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()].map((p) => p?.catch(() => undefined)));
  await server?.stop();
  await fixture?.stop();
});

describe('two changes of one app issued at the same instant from two sessions', () => {
  beforeEach(() => {
    const apps = fixture.readState().apps;
    fixture.seed({ apps: { ...apps, 'race-app': deployed() } });
    fixture.clearArgvLog();
  });
  afterEach(async () => nothingRunning('race-app'));

  it('two deploy_app: exactly one runs on the host, the other gets CONFLICT naming it', async () => {
    await race('deploy_app', { app_name: 'race-app', repo_url: REPO, git_ref: 'main' }, { app_name: 'race-app', repo_url: REPO, git_ref: 'v2' });
    expect(calls('git:sync', 'race-app')).toBe(1);
  });

  it('two restart_app: exactly one runs', async () => {
    await race('restart_app', { app_name: 'race-app' }, { app_name: 'race-app' });
    expect(calls('ps:restart', 'race-app')).toBe(1);
  });

  it('two scale_app: exactly one runs, and the app has the winner\'s count', async () => {
    const { id } = await race('scale_app', { app_name: 'race-app', processes: { web: 2 } }, { app_name: 'race-app', processes: { web: 3 } });
    // ps:scale with a count changes the app (without one it only reads the scale).
    const scales = fixture.argvLog().filter((w) => w[0] === 'ps:scale' && w.some((word) => word.startsWith('web=')));
    expect(scales).toHaveLength(1);
    const argv = scales[0]!;
    expect([2, 3].map((n) => `web=${n}`)).toContain(argv[argv.length - 1]);
    expect(fixture.readState().apps['race-app'].scale.web).toBe(Number(argv[argv.length - 1]!.split('=')[1]));
    expect(id).toBeTruthy();
  });

  it('two configure_app: exactly one runs, and the app holds the winner\'s value', async () => {
    await race('configure_app', { app_name: 'race-app', vars: { RACE: 'first' } }, { app_name: 'race-app', vars: { RACE: 'second' } });
    expect(calls('config:set', 'race-app')).toBe(1);
    expect(['first', 'second']).toContain(fixture.readState().apps['race-app'].config.RACE);
  });

  it('two rollback_app: exactly one runs', async () => {
    for (const ref of ['v1', 'v2']) {
      const { deployment_id } = ok(await callOn(a, 'deploy_app', { app_name: 'race-app', repo_url: REPO, git_ref: ref }));
      expect((await untilEnded(deployment_id)).status).toBe('succeeded');
    }
    fixture.clearArgvLog();
    await race('rollback_app', { app_name: 'race-app' }, { app_name: 'race-app' });
    expect(calls('git:sync', 'race-app')).toBe(1);
  });
});

describe('destroy_app against a running deploy', () => {
  afterEach(async () => nothingRunning('doomed-app'));
  const seedDoomed = () => fixture.seed({ apps: { ...fixture.readState().apps, 'doomed-app': deployed() } });

  it('while the deploy runs: CONFLICT naming it, and the app is still there', async () => {
    seedDoomed();
    const { deployment_id } = ok(await callOn(a, 'deploy_app', { app_name: 'doomed-app', repo_url: REPO }));
    const refused = await callOn(b, 'destroy_app', { app_name: 'doomed-app', confirm_name: 'doomed-app' });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(RUNNING);
    expect(fixture.readState().apps['doomed-app']).toBeDefined();
    expect((await untilEnded(deployment_id)).status).toBe('succeeded');
  });

  it('issued together, a few times over: one of them is refused with CONFLICT, and no deployment is left running', async () => {
    for (let round = 0; round < 3; round++) {
      seedDoomed();
      fixture.clearArgvLog();
      const [deploy, destroy] = await Promise.all([
        callOn(a, 'deploy_app', { app_name: 'doomed-app', repo_url: REPO }),
        callOn(b, 'destroy_app', { app_name: 'doomed-app', confirm_name: 'doomed-app' }),
      ]);
      if (!deploy.isError) {
        // The deploy got the app first: the destroy is refused and never reaches the host.
        expect(textOf(destroy)).toMatch(RUNNING);
        expect(calls('apps:destroy', 'doomed-app')).toBe(0);
        expect((await untilEnded(deploy.structuredContent!.deployment_id as string)).status).toBe('succeeded');
      } else {
        // The destroy got it first: the deploy is refused before anything is sent (CONFLICT, or the app is gone).
        expect(ok(destroy)).toMatchObject({ destroyed: true });
        expect(textOf(deploy)).toMatch(/is being destroyed|does not exist/);
        expect(calls('git:sync', 'doomed-app')).toBe(0);
      }
    }
  });
});

describe("a deploy while a human's git push holds Dokku's deploy lock", () => {
  beforeEach(() => fixture.seed({ apps: { ...fixture.readState().apps, 'pushed-app': deployed() } }));
  afterEach(async () => nothingRunning('pushed-app'));
  const runningBuild = () => ((fixture.readState().apps['pushed-app'].builds ?? []) as Array<{ id: string; status: string }>).find((b) => b.status === 'running');

  it('is a CONFLICT naming the host build (as builds:list shows it), not a failed deployment', async () => {
    const push = fixture.push('pushed-app', { stepMs: 40 });
    await waitUntil(() => runningBuild() !== undefined, 'the push to hold the lock');
    const refused = await callOn(a, 'deploy_app', { app_name: 'pushed-app', repo_url: REPO });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain(`already has a deployment running (pushed-app.${runningBuild()!.id})`);
    expect(fixture.argvLog().filter((w) => w[0] === 'git:sync' && w.includes('pushed-app'))).toHaveLength(0);
    expect(await push.done).toBe(0);
    const { deployments } = ok(await callOn(a, 'list_deployments', { app_name: 'pushed-app' }));
    expect(deployments.filter((d: { origin: string }) => d.origin !== 'host')).toEqual([]);
  });

  it("when nothing told the server of the push first, Dokku's own refusal is still a CONFLICT, not a failed deployment", async () => {
    // Dokku 0.37 keeps no build record, so nothing tells the server of the push before Dokku's own refusal: the same
    // path as a push that takes the lock between our builds:list and our git:sync (where the CONFLICT names its build).
    fixture.setVersion('0.37.9');
    try {
      const push = fixture.push('pushed-app', { stepMs: 40 });
      await waitUntil(() => runningBuild() !== undefined, 'the push to hold the lock');
      fixture.clearArgvLog();
      const refused = await callOn(a, 'deploy_app', { app_name: 'pushed-app', repo_url: REPO });
      expect(fixture.argvLog().filter((w) => w[0] === 'git:sync')).toHaveLength(1); // Dokku itself refused it
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(/App "pushed-app" has a deploy lock in place: a deploy not started by this server \(a git push\?\) is running on the host/);
      expect(await push.done).toBe(0);
      const { deployments } = ok(await callOn(a, 'list_deployments', { app_name: 'pushed-app' }));
      expect(deployments.filter((d: { status: string }) => d.status === 'failed')).toEqual([]);
    } finally {
      fixture.setVersion('0.38.27');
    }
  });
});

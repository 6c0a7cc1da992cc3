import { AppName } from '../../src/domain/app-name.js';
import { BuildId, DomainName, EnvKey, EnvValue, GitRef, GitUrl, ImageRef, ProcessType } from '../../src/domain/dokku-values.js';
import { AppAlreadyExists, AppNotFound, NotDeployed } from '../../src/domain/domain-errors.js';
import { LogLine } from '../../src/domain/log-line.js';
import type { HostBuild } from '../../src/domain/host-build.js';
import type { DokkuApps } from '../../src/ports/dokku-apps.port.js';
import type { DokkuBuilds } from '../../src/ports/dokku-builds.port.js';
import type { DokkuConfig } from '../../src/ports/dokku-config.port.js';
import type { DeployOperation, DeployOutcome, DokkuDeploys } from '../../src/ports/dokku-deploys.port.js';
import type { DokkuDomains } from '../../src/ports/dokku-domains.port.js';
import type { DokkuLogs } from '../../src/ports/dokku-logs.port.js';
import type { DokkuServer } from '../../src/ports/dokku-server.port.js';
import { withTimeout } from '../support/wait-for.js';

/**
 * One behavioural suite for every implementation of the Dokku ports: the sandbox host and the SSH adapters talking to
 * the Dokku stand-in behind a real sshd. It asserts only what a client can observe through the ports.
 *
 * What a host under test must provide (the default seed): `node-js-app` deployed and running with scale {web: 1},
 * domain node-js-app.dokku.me and config {DATABASE_URL, NODE_ENV}; `python-app` created, never deployed; global
 * domain dokku.me. A deploy source (repo URL or image) containing "fail" fails with " !     App build failed".
 * Every test that changes state works on its own new app, so tests do not depend on each other's order.
 */
export interface ContractSubject {
  readonly apps: DokkuApps;
  readonly deploys: DokkuDeploys;
  readonly builds: DokkuBuilds;
  readonly logs: DokkuLogs;
  readonly config: DokkuConfig;
  readonly domains: DokkuDomains;
  readonly server: DokkuServer;
  teardown(): Promise<void>;
}

const OUTCOME_TIMEOUT_MS = 20_000;
const REPO = 'https://github.com/heroku/node-js-getting-started.git';
const FAILING_REPO = 'https://github.com/example/fail-on-build.git';
// Dokku's logs line: colour, RFC 3339 timestamp with nanoseconds, literal "app", [process.index], colour reset.
const DOKKU_LOG_LINE = /^\x1b\[3[1-6]m\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z app\[[a-z0-9_-]+\.\d+\]:\x1b\[0m /;

interface Finished {
  readonly output: string;
  readonly outcome: DeployOutcome;
  readonly chunksBeforeOutcome: number;
}

const exitCode = (outcome: DeployOutcome): number | undefined => (outcome.type === 'exited' ? outcome.exitCode : undefined);

export function describeDokkuContract(label: string, setup: () => Promise<ContractSubject>): void {
  describe(`Dokku ports contract (${label})`, () => {
    let subject: ContractSubject;
    const runId = Date.now().toString(36);
    let counter = 0;
    const newAppName = (): AppName => AppName.of(`contract-${runId}-${++counter}`);
    const missing = AppName.of(`contract-${runId}-missing`);
    const nodeJsApp = AppName.of('node-js-app');
    const pythonApp = AppName.of('python-app');

    beforeAll(async () => {
      subject = await setup();
    });
    afterAll(async () => {
      await subject?.teardown();
    });

    async function run(operation: DeployOperation): Promise<Finished> {
      const chunks: string[] = [];
      let ended = false;
      let chunksBeforeOutcome = 0;
      const handle = await subject.deploys.start(operation, (chunk) => {
        chunks.push(chunk);
        if (!ended) chunksBeforeOutcome++;
      });
      const outcome = await withTimeout(handle.outcome.finally(() => (ended = true)), `the ${operation.kind} outcome`, OUTCOME_TIMEOUT_MS);
      // Under a pty lines end in CRLF; the ports promise raw output, so compare line content only.
      return { output: chunks.join('').replace(/\r\n/g, '\n'), outcome, chunksBeforeOutcome };
    }

    async function createApp(): Promise<AppName> {
      const app = newAppName();
      await subject.apps.create(app);
      return app;
    }

    async function deployedApp(): Promise<AppName> {
      const app = await createApp();
      const { outcome } = await run({ kind: 'deploy', app, repoUrl: GitUrl.of(REPO) });
      expect(exitCode(outcome)).toBe(0);
      return app;
    }

    describe('apps', () => {
      test('list is sorted and holds the seeded apps', async () => {
        const names = await subject.apps.list();
        expect(names).toEqual(expect.arrayContaining(['node-js-app', 'python-app']));
        expect(names).toEqual([...names].sort());
      });

      test('exists tells present from missing apps', async () => {
        expect(await subject.apps.exists(nodeJsApp)).toBe(true);
        expect(await subject.apps.exists(missing)).toBe(false);
      });

      test('status of a deployed app: deployed, running, its scale and processes', async () => {
        const status = await subject.apps.status(nodeJsApp);
        expect(status).toMatchObject({ name: 'node-js-app', deployed: true, running: 'true' });
        expect(status.scale).toMatchObject({ web: 1 });
        expect(status.processes).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'web', index: 1, status: 'running' })]));
      });

      test('status of an app never deployed, and of a missing app', async () => {
        expect(await subject.apps.status(pythonApp)).toMatchObject({ name: 'python-app', deployed: false });
        await expect(subject.apps.status(missing)).rejects.toBeInstanceOf(AppNotFound);
      });

      test('create adds an app; creating it again fails with AppAlreadyExists', async () => {
        const app = await createApp();
        expect(await subject.apps.exists(app)).toBe(true);
        expect(await subject.apps.list()).toContain(app.value);
        expect((await subject.apps.status(app)).deployed).toBe(false);
        await expect(subject.apps.create(app)).rejects.toBeInstanceOf(AppAlreadyExists);
      });

      test('destroy removes an app; afterwards it is AppNotFound', async () => {
        const app = await createApp();
        await subject.apps.destroy(app);
        expect(await subject.apps.exists(app)).toBe(false);
        await expect(subject.apps.status(app)).rejects.toBeInstanceOf(AppNotFound);
        await expect(subject.apps.destroy(app)).rejects.toBeInstanceOf(AppNotFound);
      });

      test('stop stops a deployed app; undeployed and missing apps are refused', async () => {
        const app = await deployedApp();
        await subject.apps.stop(app);
        expect((await subject.apps.status(app)).running).toBe('false');
        await expect(subject.apps.stop(pythonApp)).rejects.toBeInstanceOf(NotDeployed);
        await expect(subject.apps.stop(missing)).rejects.toBeInstanceOf(AppNotFound);
      });
    });

    describe('deploys', () => {
      test('a git deploy streams output before its outcome, exits 0 and leaves the app deployed', async () => {
        const app = await createApp();
        const { output, outcome, chunksBeforeOutcome } = await run({ kind: 'deploy', app, repoUrl: GitUrl.of(REPO) });
        expect(chunksBeforeOutcome).toBeGreaterThan(0);
        expect(output).toContain('=====> Application deployed');
        expect(outcome).toEqual({ type: 'exited', exitCode: 0 });
        expect(await subject.apps.status(app)).toMatchObject({ deployed: true, running: 'true' });
      });

      test('a source that fails to build exits non-zero with "App build failed"', async () => {
        const app = await createApp();
        const { output, outcome } = await run({ kind: 'deploy', app, repoUrl: GitUrl.of(FAILING_REPO) });
        expect(exitCode(outcome)).not.toBe(0);
        expect(output).toContain('App build failed');
        expect((await subject.apps.status(app)).deployed).toBe(false);
      });

      test('deploying a missing app exits 20 with Dokku\'s message', async () => {
        const { output, outcome } = await run({ kind: 'deploy', app: missing, repoUrl: GitUrl.of(REPO) });
        expect(outcome).toEqual({ type: 'exited', exitCode: 20 });
        expect(output).toContain(`App ${missing.value} does not exist`);
      });

      test('an image deploy exits 0 and leaves the app deployed', async () => {
        const app = await createApp();
        const { outcome } = await run({ kind: 'deploy_image', app, image: ImageRef.of('nginx:1.27') });
        expect(exitCode(outcome)).toBe(0);
        expect((await subject.apps.status(app)).deployed).toBe(true);
      });

      test('restart of a deployed app exits 0 and it keeps running', async () => {
        const app = await deployedApp();
        const { outcome } = await run({ kind: 'restart', app });
        expect(exitCode(outcome)).toBe(0);
        expect((await subject.apps.status(app)).running).toBe('true');
      });

      test('scale changes the process counts status reports', async () => {
        const app = await deployedApp();
        const { outcome } = await run({ kind: 'scale', app, counts: [[ProcessType.of('web'), 2]] });
        expect(exitCode(outcome)).toBe(0);
        expect((await subject.apps.status(app)).scale).toMatchObject({ web: 2 });
      });

      test('config_set echoes the change, restarts and stores the value', async () => {
        const app = await deployedApp();
        const vars = [[EnvKey.of('FEATURE_FLAG'), EnvValue.of('on at last')]] as const;
        const { output, outcome } = await run({ kind: 'config_set', app, vars });
        expect(exitCode(outcome)).toBe(0);
        expect(output).toContain('Setting config vars');
        expect(await subject.config.get(app)).toMatchObject({ FEATURE_FLAG: 'on at last' });
      });
    });

    describe('builds (the host build record, Dokku 0.38)', () => {
      const BUILD_ID = /^[0-9a-z]{14}$/; // Dokku: 8 base36 characters of milliseconds, 6 random ones

      async function runningBuild(app: AppName): Promise<HostBuild> {
        for (const deadline = Date.now() + OUTCOME_TIMEOUT_MS; Date.now() < deadline; ) {
          const [build] = await subject.builds.list(app, { runningOnly: true });
          if (build) return build;
          await new Promise((r) => setTimeout(r, 10));
        }
        throw new Error(`no running build of ${app.value} appeared`);
      }

      test('is supported, and records a deploy: id, kind, source, status, times, exit code; info says the same', async () => {
        expect(await subject.builds.supported()).toBe(true);
        const app = await deployedApp();
        const builds = await subject.builds.list(app);
        expect(builds).toHaveLength(1);
        const [build] = builds as [HostBuild];
        expect(build).toMatchObject({ app: app.value, kind: 'build', source: 'git:sync', status: 'succeeded', exitCode: 0 });
        expect(build.id).toMatch(BUILD_ID);
        expect(build.finishedAt!.getTime()).toBeGreaterThanOrEqual(build.startedAt.getTime());
        expect(await subject.builds.info(app, BuildId.of(build.id))).toEqual(build);
        expect(await subject.builds.list(app, { runningOnly: true })).toEqual([]);
      });

      test('a redeploy is kind deploy with its own source; the newest comes first; a failed build says so', async () => {
        const app = await deployedApp();
        expect(exitCode((await run({ kind: 'restart', app })).outcome)).toBe(0);
        const [restart, build] = await subject.builds.list(app);
        expect(restart).toMatchObject({ kind: 'deploy', source: 'ps:restart', status: 'succeeded' });
        expect(build).toMatchObject({ kind: 'build', source: 'git:sync' });
        const broken = await createApp();
        await run({ kind: 'deploy', app: broken, repoUrl: GitUrl.of(FAILING_REPO) });
        const [failed] = await subject.builds.list(broken);
        expect(failed).toMatchObject({ status: 'failed', source: 'git:sync' });
        expect(failed!.exitCode).not.toBe(0);
      });

      test("output of a finished build is its whole log; an unknown id is undefined for info, a missing app AppNotFound", async () => {
        const app = await deployedApp();
        const [build] = await subject.builds.list(app);
        const log = await subject.builds.output(app, BuildId.of(build!.id));
        expect(log).toContain(`Cloning ${app.value} from ${REPO}`);
        expect(log).toContain('=====> Application deployed:');
        expect(await subject.builds.info(app, BuildId.of('zz0000000000zz'))).toBeUndefined();
        await expect(subject.builds.list(missing)).rejects.toBeInstanceOf(AppNotFound);
        await expect(subject.builds.info(missing, BuildId.of(build!.id))).rejects.toBeInstanceOf(AppNotFound);
      });

      test('a running build is listed as running (also across apps) and followed to its end, then recorded as ended', async () => {
        const app = await createApp();
        const deploy = run({ kind: 'deploy', app, repoUrl: GitUrl.of(REPO) });
        const build = await runningBuild(app);
        expect(build).toMatchObject({ status: 'running', kind: 'build', source: 'git:sync' });
        expect((await subject.builds.running()).map((b) => b.id)).toContain(build.id);
        const starts: boolean[] = [];
        let followed = '';
        const follow = await subject.builds.follow(app, BuildId.of(build.id), {
          start: (cut) => starts.push(cut),
          output: (chunk) => (followed += chunk),
        });
        expect(await withTimeout(follow.done, 'the end of following', OUTCOME_TIMEOUT_MS)).toEqual({ type: 'over' });
        expect(exitCode((await deploy).outcome)).toBe(0);
        expect(starts).toEqual([false]); // a short log: nothing cut
        expect(followed.replace(/\r\n/g, '\n')).toContain('=====> Application deployed:');
        expect(await subject.builds.info(app, BuildId.of(build.id))).toMatchObject({ status: 'succeeded', exitCode: 0 });
        expect((await subject.builds.running()).map((b) => b.id)).not.toContain(build.id);
      });

      test('deployedCommit: a SHA per git build; a deploy of that SHA reports it again; none for an image', async () => {
        const app = await deployedApp();
        const first = await subject.builds.deployedCommit(app);
        expect(first).toMatch(/^[0-9a-f]{40}$/);
        await run({ kind: 'deploy', app, repoUrl: GitUrl.of(REPO) });
        const second = await subject.builds.deployedCommit(app);
        expect(second).toMatch(/^[0-9a-f]{40}$/);
        expect(second).not.toBe(first); // the branch moved on
        expect(exitCode((await run({ kind: 'deploy', app, repoUrl: GitUrl.of(REPO), ref: GitRef.of(first!) })).outcome)).toBe(0);
        expect(await subject.builds.deployedCommit(app)).toBe(first);
        const image = await createApp();
        await run({ kind: 'deploy_image', app: image, image: ImageRef.of('nginx:1.27') });
        expect(await subject.builds.deployedCommit(image)).toBeUndefined();
      });

      test('an app whose processes crash: the deploy exits 0, ps:report shows them down', async () => {
        const app = await createApp();
        const { outcome } = await run({ kind: 'deploy', app, repoUrl: GitUrl.of('https://github.com/example/crash-on-start.git') });
        expect(exitCode(outcome)).toBe(0);
        const status = await subject.apps.status(app);
        expect(status.deployed).toBe(true);
        expect(status.running).toBe('false');
        expect(status.processes).toEqual([expect.objectContaining({ type: 'web', index: 1, status: 'exited' })]);
      });
    });

    describe('config', () => {
      test('get returns the seeded variables', async () => {
        expect(await subject.config.get(nodeJsApp)).toMatchObject({
          DATABASE_URL: 'postgres://app:s3cr3tpw@dokku-postgres-db:5432/app',
          NODE_ENV: 'production',
        });
      });

      test('values with spaces, quotes, $(), newlines and unicode round-trip exactly; unset removes only the given keys', async () => {
        const app = await createApp();
        const values: Record<string, string> = {
          SPACES: '  two  spaces around  ',
          QUOTES: `it's "quoted" \`back\``,
          SUBSHELL: '$(touch /tmp/pwned) ${HOME} `id`; rm -rf / && echo',
          MULTILINE: 'line one\nline two\n',
          UNICODE: 'héllo wörld ✓ 日本語 🚀',
          EQUALS: 'a=b=c --force -n',
        };
        await subject.config.setWithoutRestart(app, Object.entries(values).map(([k, v]) => [EnvKey.of(k), EnvValue.of(v)] as const));
        expect(await subject.config.get(app)).toEqual(expect.objectContaining(values));
        await subject.config.unsetWithoutRestart(app, [EnvKey.of('SPACES'), EnvKey.of('UNICODE')]);
        const after = await subject.config.get(app);
        expect(after).not.toHaveProperty('SPACES');
        expect(after).not.toHaveProperty('UNICODE');
        expect(after).toMatchObject({ QUOTES: values.QUOTES, MULTILINE: values.MULTILINE });
      });

      test('a missing app is AppNotFound', async () => {
        await expect(subject.config.get(missing)).rejects.toBeInstanceOf(AppNotFound);
      });
    });

    describe('domains', () => {
      test('an app\'s domains and the global ones', async () => {
        const domains = await subject.domains.ofApp(nodeJsApp);
        expect(domains.app).toBe('node-js-app');
        expect(domains.domains).toContain('node-js-app.dokku.me');
        expect(domains.globalDomains).toContain('dokku.me');
        await expect(subject.domains.ofApp(missing)).rejects.toBeInstanceOf(AppNotFound);
      });

      test('add then remove a domain', async () => {
        const app = await createApp();
        const domain = DomainName.of(`${app.value}.example.org`);
        await subject.domains.add(app, domain);
        expect((await subject.domains.ofApp(app)).domains).toContain(domain.value);
        await subject.domains.remove(app, domain);
        expect((await subject.domains.ofApp(app)).domains).not.toContain(domain.value);
      });

      test('global domains: list, then add one', async () => {
        expect(await subject.domains.listGlobal()).toContain('dokku.me');
        const domain = DomainName.of(`contract-${runId}.example.net`);
        await subject.domains.addGlobal(domain);
        expect(await subject.domains.listGlobal()).toEqual(expect.arrayContaining(['dokku.me', domain.value]));
      });

      test('allApps lists every app with its domains', async () => {
        const all = await subject.domains.allApps();
        expect(all.map((a) => a.app)).toEqual(expect.arrayContaining(['node-js-app', 'python-app']));
        expect(all.find((a) => a.app === 'node-js-app')?.domains).toContain('node-js-app.dokku.me');
      });
    });

    describe('logs', () => {
      test('recent returns N lines per container in Dokku\'s coloured format', async () => {
        const lines = await subject.logs.recent(nodeJsApp, { linesPerContainer: 5 });
        expect(lines).toHaveLength(5); // node-js-app has one container
        for (const raw of lines) {
          expect(raw).toMatch(DOKKU_LOG_LINE);
          const parsed = LogLine.parse(raw);
          expect(parsed.process).toBe('web.1');
          expect(parsed.timestamp).toBeDefined();
          expect(parsed.message).not.toContain('\x1b');
        }
        const times = lines.map((raw) => LogLine.parse(raw).timestamp as string);
        expect(times).toEqual([...times].sort());
      });

      test('recent keeps to one process type when asked', async () => {
        const lines = await subject.logs.recent(nodeJsApp, { linesPerContainer: 3, processType: ProcessType.of('web') });
        expect(lines.length).toBeGreaterThan(0);
        expect(lines.every((raw) => LogLine.parse(raw).process?.startsWith('web.'))).toBe(true);
      });

      test('recent of an app never deployed is NotDeployed, of a missing app AppNotFound', async () => {
        await expect(subject.logs.recent(pythonApp, { linesPerContainer: 5 })).rejects.toBeInstanceOf(NotDeployed);
        await expect(subject.logs.recent(missing, { linesPerContainer: 5 })).rejects.toBeInstanceOf(AppNotFound);
      });

      test('failedDeploy shows the failed deploy logs after a failed deploy', async () => {
        const app = await createApp();
        const { outcome } = await run({ kind: 'deploy', app, repoUrl: GitUrl.of(FAILING_REPO) });
        expect(exitCode(outcome)).not.toBe(0);
        expect(await subject.logs.failedDeploy(app)).toContain(`${app.value} failed deploy logs`);
        await expect(subject.logs.failedDeploy(missing)).rejects.toBeInstanceOf(AppNotFound);
      });
    });

    describe('server', () => {
      test('info names the Dokku version', async () => {
        const info = await subject.server.info();
        expect(info.dokkuVersion).toMatch(/^\d+\.\d+\.\d+$/);
        expect(Array.isArray(info.plugins)).toBe(true);
      });
    });
  });
}

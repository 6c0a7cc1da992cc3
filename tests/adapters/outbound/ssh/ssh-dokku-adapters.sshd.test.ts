/** The SSH adapters against the Dokku stand-in: commands sent, output parsed, errors mapped, old versions handled. */
import type { SshDokkuAdapters } from '../../../../src/adapters/outbound/ssh/create-ssh-dokku-adapters.js';
import { DokkuCommand } from '../../../../src/adapters/outbound/ssh/dokku-command.js';
import { DokkuRunner } from '../../../../src/adapters/outbound/ssh/dokku-runner.js';
import { AppName } from '../../../../src/domain/app-name.js';
import { DomainName, EnvKey, EnvValue, GitUrl, ImageRef, ProcessType } from '../../../../src/domain/dokku-values.js';
import {
  AppAlreadyExists,
  AppNotFound,
  Conflict,
  DokkuCommandFailed,
  NotDeployed,
  Unsupported,
} from '../../../../src/domain/domain-errors.js';
import { Sanitizer } from '../../../../src/domain/sanitizer.js';
import { startSshd, type SeedState, type SshdFixture } from '../../../support/sshd-fixture.js';
import { sshAdapters } from './ssh-test-support.js';

let fixture: SshdFixture;
const opened: SshDokkuAdapters[] = [];
const fresh = (): SshDokkuAdapters => {
  const ssh = sshAdapters(fixture);
  opened.push(ssh);
  return ssh;
};
const name = AppName.of;

const SEED: SeedState = {
  version: '0.38.27',
  globalDomains: ['dokku.me'],
  apps: {
    shop: {
      createdAt: 1700000000, deployed: true, running: true, source: 'https://github.com/org/shop.git', ref: 'main',
      config: { NODE_ENV: 'production', GREETING: 'hello world' }, domains: ['shop.dokku.me', 'www.shop.com'],
      scale: { web: 2, worker: 1 },
      failedContainers: [{ cid: 'abc123', lines: ['npm ERR! boom'] }],
    },
    idle: { createdAt: 1700000500, deployed: false, domains: ['idle.dokku.me'], scale: { web: 1 }, processTypes: ['web'] },
  },
};

beforeAll(async () => {
  fixture = await startSshd({ deployStepMs: 20 });
});
beforeEach(() => {
  fixture.seed(SEED);
  fixture.clearArgvLog();
});
afterAll(async () => {
  await Promise.all(opened.map((ssh) => ssh.connection.close()));
  await fixture.stop();
});

/** Everything the read side returns, to compare across Dokku versions. */
async function snapshot(ssh: SshDokkuAdapters) {
  return {
    list: await ssh.apps.list(),
    shop: await ssh.apps.status(name('shop')),
    idle: await ssh.apps.status(name('idle')),
    config: await ssh.config.get(name('shop')),
    domains: await ssh.domains.ofApp(name('shop')),
    allDomains: await ssh.domains.allApps(),
    global: await ssh.domains.listGlobal(),
  };
}

describe('reading', () => {
  it('reports app status from ps:report, apps:report, ps:scale and domains:report', async () => {
    const status = await fresh().apps.status(name('shop'));
    expect(status).toEqual({
      name: 'shop',
      deployed: true,
      running: 'true',
      processes: [
        expect.objectContaining({ type: 'web', index: 1, status: 'running', containerId: expect.stringMatching(/^[0-9a-f]{11}$/) }),
        expect.objectContaining({ type: 'web', index: 2, status: 'running' }),
        expect.objectContaining({ type: 'worker', index: 1, status: 'running' }),
      ],
      scale: { web: 2, worker: 1 },
      createdAt: '2023-11-14T22:13:20.000Z',
      deploySource: 'git-sync',
      urls: ['http://shop.dokku.me', 'http://www.shop.com'],
    });
    expect(fixture.argvLog()).toContainEqual(['ps:report', 'shop', '--format', 'json']);
  });

  it('lists apps, domains of every app and the global domains', async () => {
    const ssh = fresh();
    expect(await ssh.apps.list()).toEqual(['idle', 'shop']);
    expect(await ssh.domains.allApps()).toEqual([
      { app: 'idle', enabled: true, domains: ['idle.dokku.me'], globalDomains: ['dokku.me'] },
      { app: 'shop', enabled: true, domains: ['shop.dokku.me', 'www.shop.com'], globalDomains: ['dokku.me'] },
    ]);
    expect(await ssh.domains.listGlobal()).toEqual(['dokku.me']);
  });

  it('an empty host has no apps and no domains (Dokku fails the report there)', async () => {
    fixture.seed({ apps: {} });
    const ssh = fresh();
    expect(await ssh.apps.list()).toEqual([]);
    expect(await ssh.domains.allApps()).toEqual([]);
  });

  it('reads runtime logs with --num and --ps, raw lines with ANSI', async () => {
    const lines = await fresh().logs.recent(name('shop'), { linesPerContainer: 2, processType: ProcessType.of('worker') });
    expect(fixture.argvLog().at(-1)).toEqual(['logs', 'shop', '--num', '2', '--ps', 'worker']);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\x1b\[\d+m\S+Z app\[worker\.1\]:\x1b\[0m /);
  });

  it('reads the failed deploy logs, or says there are none', async () => {
    const ssh = fresh();
    expect(await ssh.logs.failedDeploy(name('shop'))).toContain('npm ERR! boom');
    expect(await ssh.logs.failedDeploy(name('idle'))).toBe('No failed containers found');
  });

  it('reports the server: version, host:port, plugins', async () => {
    const info = await fresh().server.info();
    expect(info).toMatchObject({ dokkuVersion: '0.38.27', host: `127.0.0.1:${fixture.port}`, simulated: false });
    expect(info.plugins).toContainEqual({ name: 'letsencrypt', version: '0.25.2', enabled: true });
  });
});

describe('writing', () => {
  it('creates, stops and destroys apps (destroy with the global --force first)', async () => {
    const ssh = fresh();
    await ssh.apps.create(name('fresh-app'));
    expect(await ssh.apps.exists(name('fresh-app'))).toBe(true);
    await ssh.apps.stop(name('shop'));
    expect((await ssh.apps.status(name('shop'))).running).toBe('false');
    await ssh.apps.destroy(name('fresh-app'));
    expect(fixture.argvLog()).toContainEqual(['--force', 'apps:destroy', 'fresh-app']);
    expect(await ssh.apps.exists(name('fresh-app'))).toBe(false);
  });

  it('sets and unsets config without a restart', async () => {
    const ssh = fresh();
    await ssh.config.setWithoutRestart(name('shop'), [[EnvKey.of('A'), EnvValue.of('1')], [EnvKey.of('B'), EnvValue.of('two words')]]);
    await ssh.config.unsetWithoutRestart(name('shop'), [EnvKey.of('NODE_ENV')]);
    expect(await ssh.config.get(name('shop'))).toEqual({ A: '1', B: 'two words', GREETING: 'hello world' });
    expect(fixture.argvLog()).toContainEqual(['config:unset', '--no-restart', 'shop', 'NODE_ENV']);
  });

  it('adds and removes app domains and adds global ones', async () => {
    const ssh = fresh();
    await ssh.domains.add(name('idle'), DomainName.of('idle.example.com'));
    expect((await ssh.domains.ofApp(name('idle'))).domains).toEqual(['idle.dokku.me', 'idle.example.com']);
    await ssh.domains.remove(name('idle'), DomainName.of('idle.example.com'));
    await ssh.domains.addGlobal(DomainName.of('apps.example.com'));
    expect((await ssh.domains.ofApp(name('idle'))).domains).toEqual(['idle.dokku.me']);
    expect(await ssh.domains.listGlobal()).toEqual(['dokku.me', 'apps.example.com']);
  });
});

describe('deploy operations', () => {
  it('streams the output as it arrives and lets the exit status decide', async () => {
    const chunks: string[] = [];
    const run = await fresh().deploys.start({ kind: 'deploy', app: name('shop'), repoUrl: GitUrl.of('https://github.com/org/shop.git') }, (c) => chunks.push(c));
    const firstChunkBeforeEnd = await Promise.race([
      new Promise((r) => { const t = setInterval(() => chunks.length && (clearInterval(t), r(true)), 5); }),
      run.outcome.then(() => false),
    ]);
    expect(firstChunkBeforeEnd).toBe(true);
    expect(await run.outcome).toEqual({ type: 'exited', exitCode: 0 });
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.join('')).toMatch(/(Fetching remote code|Cloning) [\s\S]*=====> Application deployed:/);
  });

  it.each([
    [{ kind: 'deploy_image', image: ImageRef.of('nginx:1.27') }, ['git:from-image', 'shop', 'nginx:1.27']],
    [{ kind: 'rebuild' }, ['ps:rebuild', 'shop']],
    [{ kind: 'restart' }, ['ps:restart', 'shop']],
    [{ kind: 'start' }, ['ps:start', 'shop']],
    [{ kind: 'scale', counts: [[ProcessType.of('web'), 3]] }, ['ps:scale', 'shop', 'web=3']],
    [{ kind: 'config_unset', keys: [EnvKey.of('NODE_ENV')] }, ['config:unset', 'shop', 'NODE_ENV']],
  ])('%o runs %o and succeeds', async (operation, argv) => {
    const run = await fresh().deploys.start({ ...operation, app: name('shop') } as never, () => undefined);
    expect(await run.outcome).toEqual({ type: 'exited', exitCode: 0 });
    expect(fixture.argvLog().at(-1)).toEqual(argv);
  });

  it('config_set sends base64 pairs and restarts', async () => {
    let output = '';
    const run = await fresh().deploys.start(
      { kind: 'config_set', app: name('shop'), vars: [[EnvKey.of('TOKEN'), EnvValue.of("s3cr3t'value")]] },
      (c) => (output += c),
    );
    expect(await run.outcome).toEqual({ type: 'exited', exitCode: 0 });
    expect(fixture.argvLog().at(-1)).toEqual(['config:set', '--encoded', 'shop', `TOKEN=${Buffer.from("s3cr3t'value").toString('base64')}`]);
    expect(output).toContain('Restarting app shop');
  });

  it('a failing operation reports its non-zero exit and Dokku message in the output', async () => {
    let output = '';
    const run = await fresh().deploys.start({ kind: 'scale', app: name('idle'), counts: [[ProcessType.of('worker'), 1]] }, (c) => (output += c));
    expect(await run.outcome).toEqual({ type: 'exited', exitCode: 1 });
    expect(output).toContain('worker is not a valid process name to scale up');
  });

  it('cancels a running deploy with builds:cancel', async () => {
    const ssh = fresh();
    let output = '';
    const run = await ssh.deploys.start({ kind: 'rebuild', app: name('shop') }, (c) => (output += c));
    while (!output.includes('Building')) await new Promise((r) => setTimeout(r, 10));
    await ssh.deploys.cancel(name('shop'));
    const outcome = await run.outcome;
    expect(outcome).toEqual({ type: 'exited', exitCode: 1 });
    expect(output).toContain('Build canceled');
    expect(fixture.argvLog()).toContainEqual(['builds:cancel', 'shop']);
  });
});

describe('error mapping', () => {
  it('missing app → AppNotFound (exit 20)', async () => {
    const ssh = fresh();
    await expect(ssh.apps.status(name('nope'))).rejects.toBeInstanceOf(AppNotFound);
    await expect(ssh.logs.recent(name('nope'), { linesPerContainer: 1 })).rejects.toBeInstanceOf(AppNotFound);
    await expect(ssh.config.get(name('nope'))).rejects.toMatchObject({ code: 'APP_NOT_FOUND', app: 'nope' });
    expect(await ssh.apps.exists(name('nope'))).toBe(false);
  });

  it('not deployed → NotDeployed', async () => {
    const ssh = fresh();
    await expect(ssh.logs.recent(name('idle'), { linesPerContainer: 1 })).rejects.toBeInstanceOf(NotDeployed);
    await expect(ssh.apps.stop(name('idle'))).rejects.toBeInstanceOf(NotDeployed);
  });

  it('existing name → AppAlreadyExists', async () => {
    await expect(fresh().apps.create(name('shop'))).rejects.toBeInstanceOf(AppAlreadyExists);
  });

  it('deploy lock → Conflict', async () => {
    const ssh = fresh();
    let output = '';
    const run = await ssh.deploys.start({ kind: 'rebuild', app: name('shop') }, (c) => (output += c));
    while (!output.includes('Building')) await new Promise((r) => setTimeout(r, 10));
    const dokku = new DokkuRunner(ssh.connection, new Sanitizer());
    await expect(dokku.run(DokkuCommand.of('ps:restart').value(name('shop')), name('shop'))).rejects.toBeInstanceOf(Conflict);
    await run.outcome;
  });

  it("any other failure → DokkuCommandFailed with Dokku's message, prefix stripped", async () => {
    const dokku = new DokkuRunner(fresh().connection, new Sanitizer());
    const error = await dokku
      .run(DokkuCommand.of('ps:scale').value(name('idle')).scalePair(ProcessType.of('worker'), 1), name('idle'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DokkuCommandFailed);
    expect(error).toMatchObject({ command: 'ps:scale', exitCode: 1, dokkuMessage: 'worker is not a valid process name to scale up' });
  });
});

describe('older Dokku versions', () => {
  it('0.37.0: text formats for apps:list and ps:scale give identical results; cancel is Unsupported', async () => {
    const expected = await snapshot(fresh());
    fixture.seed(SEED);
    fixture.setVersion('0.37.0');
    fixture.clearArgvLog();
    const old = fresh();
    expect(await snapshot(old)).toEqual(expected);
    expect(fixture.argvLog()).toContainEqual(['apps:list']);
    expect(fixture.argvLog()).toContainEqual(['ps:scale', 'shop']);
    const cancel = await old.deploys.cancel(name('shop')).catch((e: unknown) => e);
    expect(cancel).toBeInstanceOf(Unsupported);
    expect((cancel as Error).message).toMatch(/needs Dokku 0\.38\.0 or newer.*this host runs Dokku 0\.37\.0/);
    expect(fixture.argvLog().flat()).not.toContain('builds:cancel');
  });

  it('0.15.0: text reports and config:show give identical results', async () => {
    const expected = await snapshot(fresh());
    fixture.seed(SEED);
    fixture.setVersion('0.15.0');
    fixture.clearArgvLog();
    expect(await snapshot(fresh())).toEqual(expected);
    expect(fixture.argvLog().flat()).not.toContain('--format');
    expect(fixture.argvLog()).toContainEqual(['config:show', 'shop']);
  });

  it('reads the version once per connection', async () => {
    const ssh = fresh();
    await snapshot(ssh);
    expect(fixture.argvLog().filter((argv) => argv[0] === 'version')).toHaveLength(1);
  });
});

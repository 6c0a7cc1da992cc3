import { SandboxDokkuDeploys } from '../../../../src/adapters/outbound/sandbox/sandbox-dokku-deploys.adapter.js';
import { SandboxDokkuHost } from '../../../../src/adapters/outbound/sandbox/sandbox-dokku-host.js';
import { AppName } from '../../../../src/domain/app-name.js';
import { EnvKey, EnvValue, GitUrl, ProcessType } from '../../../../src/domain/dokku-values.js';
import { AppNotFound, HostUnreachable, Unsupported } from '../../../../src/domain/domain-errors.js';
import type { DeployOperation } from '../../../../src/ports/dokku-deploys.port.js';
import { withTimeout } from '../../../support/wait-for.js';

const REPO = GitUrl.of('https://github.com/heroku/node-js-getting-started.git');
const node = AppName.of('node-js-app');
const python = AppName.of('python-app');

describe('SandboxDokkuDeploys', () => {
  let host: SandboxDokkuHost;
  let deploys: SandboxDokkuDeploys;

  beforeEach(() => {
    host = new SandboxDokkuHost({ deployStepMs: 1 });
    deploys = new SandboxDokkuDeploys(host);
  });
  afterEach(() => host.dispose());

  async function run(operation: DeployOperation, onChunk: (chunk: string) => void = () => {}) {
    const chunks: string[] = [];
    const handle = await deploys.start(operation, (chunk) => {
      chunks.push(chunk);
      onChunk(chunk);
    });
    const outcome = await withTimeout(handle.outcome, 'the outcome');
    return { chunks, output: chunks.join(''), outcome };
  }

  test('output comes in several chunks, some ending mid-line; joined they are whole lines', async () => {
    const { chunks, output } = await run({ kind: 'deploy', app: python, repoUrl: REPO });
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.some((chunk) => !chunk.endsWith('\n'))).toBe(true);
    expect(output.endsWith('\n')).toBe(true);
    expect(output.split('\n')[0]).toBe(`-----> Cloning python-app from ${REPO.value}`);
  });

  test('a second deploy of a running app hits the host\'s own deploy lock; the first carries on', async () => {
    const first = await deploys.start({ kind: 'deploy', app: python, repoUrl: REPO }, () => {});
    const second = await run({ kind: 'restart', app: python });
    expect(second.outcome).toEqual({ type: 'exited', exitCode: 1 });
    expect(second.output).toBe(' !     python-app currently has a deploy lock in place. Exiting...\n');
    expect(await withTimeout(first.outcome, 'the first outcome')).toEqual({ type: 'exited', exitCode: 0 });
    expect((await run({ kind: 'restart', app: python })).outcome).toEqual({ type: 'exited', exitCode: 0 });
  });

  test('cancel stops a running deploy with "Build canceled" and a non-zero exit', async () => {
    let canceled = false;
    const { output, outcome } = await run({ kind: 'deploy', app: python, repoUrl: REPO }, (chunk) => {
      if (!canceled && chunk.includes('Building python-app')) {
        canceled = true;
        void deploys.cancel(python);
      }
    });
    expect(outcome).toEqual({ type: 'exited', exitCode: 131 });
    expect(output.endsWith(' !     Build canceled\n')).toBe(true);
    expect(output).not.toContain('Application deployed');
    expect(host.app('python-app').deployed).toBe(false);
  });

  test('cancel with nothing running does nothing; of a missing app it is AppNotFound', async () => {
    await expect(deploys.cancel(node)).resolves.toBeUndefined();
    await expect(deploys.cancel(AppName.of('no-such-app'))).rejects.toBeInstanceOf(AppNotFound);
  });

  test('an older Dokku has no builds:cancel: Unsupported', async () => {
    const old = new SandboxDokkuDeploys(new SandboxDokkuHost({ dokkuVersion: '0.37.9' }));
    await expect(old.cancel(node)).rejects.toBeInstanceOf(Unsupported);
  });

  test('an unreachable host rejects start before anything runs', async () => {
    host.simulateOutage();
    await expect(deploys.start({ kind: 'restart', app: node }, () => {})).rejects.toBeInstanceOf(HostUnreachable);
    host.endOutage();
    expect((await run({ kind: 'restart', app: node })).outcome).toEqual({ type: 'exited', exitCode: 0 });
  });

  test('config_set echoes the values aligned like Dokku, then restarts a deployed app', async () => {
    const vars = [[EnvKey.of('A'), EnvValue.of('x y')], [EnvKey.of('LONGER_KEY'), EnvValue.of('two\nlines')]] as const;
    const { output, outcome } = await run({ kind: 'config_set', app: node, vars });
    expect(outcome).toEqual({ type: 'exited', exitCode: 0 });
    expect(output).toContain('-----> Setting config vars\n       A:           x y\n       LONGER_KEY:  two\nlines\n-----> Restarting app node-js-app\n');
    expect(output).toContain('=====> Application deployed:');
  });

  test('restart of an app never deployed only warns, and exits 0 like Dokku', async () => {
    expect(await run({ kind: 'restart', app: python })).toMatchObject({
      output: ' !     App python-app has not been deployed\n',
      outcome: { type: 'exited', exitCode: 0 },
    });
  });

  test('scale of an app never deployed records the counts without deploying', async () => {
    const { output } = await run({ kind: 'scale', app: python, counts: [[ProcessType.of('web'), 2]] });
    expect(output).toBe('-----> Scaling python-app processes: web=2\n');
    expect(Object.fromEntries(host.app('python-app').scale)).toEqual({ web: 2 });
  });

  test('scale redeploys only the changed process types', async () => {
    const counts = [[ProcessType.of('web'), 2]] as const;
    const { output } = await run({ kind: 'scale', app: node, counts });
    expect(output).toContain('-----> Deploying web (count=2)');
    expect(host.app('node-js-app').containers.map((c) => `${c.type}.${c.index}`)).toEqual(['web.1', 'web.2']);
  });

  test('destroying the app mid-deploy ends the run as lost', async () => {
    const handle = await deploys.start({ kind: 'deploy', app: python, repoUrl: REPO }, () => {});
    host.destroyApp('python-app');
    expect(await withTimeout(handle.outcome, 'the outcome')).toEqual({ type: 'lost', reason: 'app destroyed' });
  });

  test('a listener that throws does not stop the deploy', async () => {
    const handle = await deploys.start({ kind: 'deploy', app: python, repoUrl: REPO }, () => {
      throw new Error('listener bug');
    });
    expect(await withTimeout(handle.outcome, 'the outcome')).toEqual({ type: 'exited', exitCode: 0 });
  });
});

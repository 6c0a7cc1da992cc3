import { CancelDeployment } from '../../../src/application/deployments/cancel-deployment.use-case.js';
import { DeployApp } from '../../../src/application/deployments/deploy-app.use-case.js';
import { RestartApp } from '../../../src/application/deployments/restart-app.use-case.js';
import { DeploymentAlreadyRunning } from '../../../src/domain/domain-errors.js';
import { createWorld, type World, OPEN_ACCESS, OPERATOR } from '../../support/sandbox-world.js';
import { waitForEnd } from '../../support/wait-for.js';

const REPO = 'https://github.com/heroku/node-js-getting-started.git';
const CRASHING = 'https://github.com/example/crash-on-start.git';

/** A deploy is judged by what runs afterwards (ps:report), not only by Dokku's exit status. */
describe('verified deploys', () => {
  let world: World;
  let deploy: DeployApp;
  beforeEach(() => {
    world = createWorld();
    deploy = new DeployApp(world.runner, OPEN_ACCESS);
  });
  afterEach(() => world.dispose());

  test('a deploy that exits 0 but leaves web down ends failed, naming it; exit code 0 is kept', async () => {
    const d = await deploy.execute(OPERATOR, { appName: 'python-app', repoUrl: CRASHING });
    await waitForEnd(world.store, d);
    expect(d.status).toBe('failed');
    expect(d.exitCode).toBe(0);
    expect(d.error).toMatch(/^Dokku exited 0, but not every process is running afterwards: web: 0 of 1 running \(exited\)\./);
    expect(d.verified).toBeUndefined();
  });

  test('a succeeded deploy reports the processes running and the URLs', async () => {
    const d = await deploy.execute(OPERATOR, { appName: 'python-app', repoUrl: REPO });
    await waitForEnd(world.store, d);
    expect(d.status).toBe('succeeded');
    expect(d.verified).toEqual({ processes: ['web.1'], urls: ['http://python-app.dokku.me'] });
  });

  test('a restart of an app whose code crashes ends failed too', async () => {
    await waitForEnd(world.store, await deploy.execute(OPERATOR, { appName: 'python-app', repoUrl: CRASHING }));
    const restart = await new RestartApp(world.runner, OPEN_ACCESS).execute(OPERATOR, { appName: 'python-app' });
    await waitForEnd(world.store, restart);
    expect(restart).toMatchObject({ status: 'failed', exitCode: 0 });
  });

  test('an unreachable host after exit 0 leaves the exit status to decide', async () => {
    const d = await deploy.execute(OPERATOR, { appName: 'python-app', repoUrl: REPO });
    const apps = world.apps;
    apps.status = async () => {
      throw new Error('ps:report did not answer');
    };
    await waitForEnd(world.store, d);
    expect(d.status).toBe('succeeded');
    expect(d.verified).toBeUndefined();
  });
});

describe("deploys and the host's build record", () => {
  let world: World;
  beforeEach(() => (world = createWorld()));
  afterEach(() => world.dispose());

  test('a deploy gets the id <app>.<Dokku build id> before it returns, so it is found on the host later', async () => {
    const d = await new DeployApp(world.runner, OPEN_ACCESS).execute(OPERATOR, { appName: 'python-app', repoUrl: REPO });
    const [build] = world.host.buildRecord.of('python-app');
    expect(d.id).toBe(`python-app.${build!.id}`);
    expect(d.key).toMatch(/^deploy_/);
    expect((await world.store.get(d.key))).toBe(d);
    expect((await world.store.get(d.id))).toBe(d);
  });

  test('on an older Dokku the id stays deploy_…', async () => {
    world.dispose();
    world = createWorld({ dokkuVersion: '0.37.9' });
    const d = await new DeployApp(world.runner, OPEN_ACCESS).execute(OPERATOR, { appName: 'python-app', repoUrl: REPO });
    expect(d.id).toMatch(/^deploy_/);
  });

  test('a deploy is refused while the host runs a build of the app it did not start (a git push), naming it', async () => {
    world.deploys.push('node-js-app');
    const [push] = world.host.buildRecord.of('node-js-app');
    const started = new DeployApp(world.runner, OPEN_ACCESS).execute(OPERATOR, { appName: 'node-js-app', repoUrl: REPO });
    await expect(started).rejects.toThrow(new DeploymentAlreadyRunning('node-js-app', `node-js-app.${push!.id}`));
    expect((await world.store.list())).toEqual([]);
  });

  test('a build started outside is followed live through the same lookups, to its end', async () => {
    world.deploys.push('node-js-app');
    const [push] = world.host.buildRecord.of('node-js-app');
    const id = `node-js-app.${push!.id}`;
    const d = await world.getDeployment.execute(OPERATOR, { deploymentId: id });
    expect(d).toMatchObject({ id, origin: 'host', kind: 'git_push', status: 'running', source: { type: 'host', dokkuSource: 'git-hook' } });
    expect(await world.getDeployment.execute(OPERATOR, { deploymentId: id })).toBe(d); // one follower, however often asked
    await waitForEnd(world.store, d);
    expect(d.status).toBe('succeeded');
    // All of it (attached before 1000 lines), sanitized like our own deploys' logs: the app's DATABASE_URL password too.
    expect(push!.log).toContain('postgres://app:s3cr3tpw@');
    expect((await world.logOf(d))).toBe(push!.log.replace('s3cr3tpw', '[REDACTED]'));
  });

  test('a build started outside can be canceled like ours; it ends canceled', async () => {
    world.dispose();
    world = createWorld({ deployStepMs: 50 });
    world.deploys.push('node-js-app');
    const [push] = world.host.buildRecord.of('node-js-app');
    const id = `node-js-app.${push!.id}`;
    const canceled = await new CancelDeployment(world.getDeployment, world.deploys, OPEN_ACCESS, world.store, world.builds).execute(OPERATOR, { deploymentId: id });
    expect(canceled.origin).toBe('host');
    await waitForEnd(world.store, canceled);
    expect(canceled.status).toBe('canceled');
    expect(push!.status).toBe('canceled');
  });
});

import { StopApp } from '../../../src/application/apps/stop-app.use-case.js';
import { RebuildApp } from '../../../src/application/deployments/rebuild-app.use-case.js';
import { RestartApp } from '../../../src/application/deployments/restart-app.use-case.js';
import { StartApp } from '../../../src/application/deployments/start-app.use-case.js';
import { AppName } from '../../../src/domain/app-name.js';
import { AppNotFound, DeploymentAlreadyRunning, NotDeployed } from '../../../src/domain/domain-errors.js';
import { createWorld, type World, OPEN_ACCESS, OPERATOR } from '../../support/sandbox-world.js';
import { waitForEnd } from '../../support/wait-for.js';

/** Restart, start and rebuild reuse an existing build: they need a deployed app, and are tracked like deploys. */
describe.each([
  ['RestartApp', 'restart', (w: World) => new RestartApp(w.runner, OPEN_ACCESS)],
  ['StartApp', 'start', (w: World) => new StartApp(w.runner, OPEN_ACCESS)],
  ['RebuildApp', 'rebuild', (w: World) => new RebuildApp(w.runner, OPEN_ACCESS)],
] as const)('%s', (_name, kind, build) => {
  let world: World;
  let useCase: ReturnType<typeof build>;

  beforeEach(() => {
    world = createWorld();
    useCase = build(world);
  });
  afterEach(() => world.dispose());

  test('an app never deployed is NotDeployed, and no deployment is created', async () => {
    await expect(useCase.execute(OPERATOR, { appName: 'python-app' })).rejects.toBeInstanceOf(NotDeployed);
    expect((await world.store.list())).toEqual([]);
  });

  test('a missing app is AppNotFound', async () => {
    await expect(useCase.execute(OPERATOR, { appName: 'no-such-app' })).rejects.toBeInstanceOf(AppNotFound);
  });

  test(`a deployed app gets a ${kind} deployment that succeeds`, async () => {
    const deployment = await useCase.execute(OPERATOR, { appName: 'node-js-app' });
    expect(deployment.kind).toBe(kind);
    expect(deployment.source).toEqual({ type: 'none' });
    await waitForEnd(world.store, deployment);
    expect(deployment).toMatchObject({ status: 'succeeded', exitCode: 0 });
    expect((await world.logOf(deployment))).toContain('-----> Deploying node-js-app via the docker-local scheduler...');
    expect((await world.apps.status(deployment.app)).running).toBe('true');
  });

  test('refused while another deployment of the app runs', async () => {
    const running = await new RestartApp(world.runner, OPEN_ACCESS).execute(OPERATOR, { appName: 'node-js-app' });
    const attempt = useCase.execute(OPERATOR, { appName: 'node-js-app' });
    await expect(attempt).rejects.toBeInstanceOf(DeploymentAlreadyRunning);
    await expect(attempt).rejects.toMatchObject({ deploymentId: running.id });
  });
});

describe('StartApp after StopApp', () => {
  let world: World;
  beforeEach(() => (world = createWorld()));
  afterEach(() => world.dispose());

  test('brings the stopped containers back', async () => {
    await new StopApp(world.apps, OPEN_ACCESS, world.containerChanges).execute(OPERATOR, { appName: 'node-js-app' });
    expect((await world.apps.status(AppName.of('node-js-app'))).running).toBe('false');
    const deployment = await new StartApp(world.runner, OPEN_ACCESS).execute(OPERATOR, { appName: 'node-js-app' });
    await waitForEnd(world.store, deployment);
    expect(deployment.status).toBe('succeeded');
    expect((await world.logOf(deployment))).toContain('=====> Application deployed:');
    expect((await world.apps.status(AppName.of('node-js-app'))).running).toBe('true');
  });
});

describe('RebuildApp', () => {
  let world: World;
  beforeEach(() => (world = createWorld()));
  afterEach(() => world.dispose());

  test('builds again from the app\'s last source', async () => {
    const deployment = await new RebuildApp(world.runner, OPEN_ACCESS).execute(OPERATOR, { appName: 'node-js-app' });
    await waitForEnd(world.store, deployment);
    expect((await world.logOf(deployment))).toContain('-----> Building node-js-app from herokuish');
  });
});

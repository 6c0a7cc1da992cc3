import { CreateApp } from '../../../src/application/apps/create-app.use-case.js';
import { DestroyApp } from '../../../src/application/apps/destroy-app.use-case.js';
import { GetAppStatus } from '../../../src/application/apps/get-app-status.use-case.js';
import { ListApps } from '../../../src/application/apps/list-apps.use-case.js';
import { StopApp } from '../../../src/application/apps/stop-app.use-case.js';
import { DeployApp } from '../../../src/application/deployments/deploy-app.use-case.js';
import { APP_NAME_RULE } from '../../../src/domain/app-name.js';
import {
  AppAlreadyExists, AppNotFound, DeploymentAlreadyRunning, HostUnreachable, InvalidArgument, NotDeployed,
} from '../../../src/domain/domain-errors.js';
import { AppNameMother } from '../../support/mothers/app-name.mother.js';
import { createWorld, type World, OPEN_ACCESS, OPERATOR } from '../../support/sandbox-world.js';
import { SequentialIdGenerator } from '../../support/sequential-id-generator.js';
import { waitForEnd } from '../../support/wait-for.js';
import { AppBeingDestroyed } from '../../../src/application/deployments/deploy-locks.js';

describe('app use cases', () => {
  let world: World;
  beforeEach(() => (world = createWorld()));
  afterEach(() => world.dispose());

  test('ListApps: every app, sorted', async () => {
    await new CreateApp(world.apps, OPEN_ACCESS).execute(OPERATOR, { appName: 'aaa-first' });
    expect(await new ListApps(world.apps, OPEN_ACCESS).execute(OPERATOR)).toEqual(['aaa-first', 'node-js-app', 'python-app']);
  });

  test('ListApps: an unreachable host is HostUnreachable', async () => {
    world.host.simulateOutage('connect ETIMEDOUT');
    await expect(new ListApps(world.apps, OPEN_ACCESS).execute(OPERATOR)).rejects.toBeInstanceOf(HostUnreachable);
    await expect(new ListApps(world.apps, OPEN_ACCESS).execute(OPERATOR)).rejects.toThrow('connect ETIMEDOUT');
  });

  describe('CreateApp', () => {
    test('creates an empty, undeployed app', async () => {
      const name = AppNameMother.unique();
      expect((await new CreateApp(world.apps, OPEN_ACCESS).execute(OPERATOR, { appName: name.value })).value).toBe(name.value);
      expect(await new GetAppStatus(world.apps, OPEN_ACCESS).execute(OPERATOR, { appName: name.value })).toMatchObject({ deployed: false, running: 'false' });
    });

    test('an existing name is AppAlreadyExists', async () => {
      await expect(new CreateApp(world.apps, OPEN_ACCESS).execute(OPERATOR, { appName: 'node-js-app' })).rejects.toBeInstanceOf(AppAlreadyExists);
    });

    test('an invalid name is InvalidArgument stating Dokku\'s rule', async () => {
      await expect(new CreateApp(world.apps, OPEN_ACCESS).execute(OPERATOR, { appName: 'My_App' })).rejects.toThrow(APP_NAME_RULE);
      await expect(new CreateApp(world.apps, OPEN_ACCESS).execute(OPERATOR, { appName: '--force' })).rejects.toBeInstanceOf(InvalidArgument);
    });
  });

  describe('DestroyApp', () => {
    const destroyer = () => new DestroyApp(world.apps, world.store, OPEN_ACCESS, world.containerChanges, world.locks, new SequentialIdGenerator());
    test('destroys the app', async () => {
      await destroyer().execute(OPERATOR, { appName: 'python-app' });
      expect(await new ListApps(world.apps, OPEN_ACCESS).execute(OPERATOR)).toEqual(['node-js-app']);
    });

    test('a missing app is AppNotFound', async () => {
      await expect(destroyer().execute(OPERATOR, { appName: 'no-such-app' })).rejects.toBeInstanceOf(AppNotFound);
    });

    test('refused while a deployment of the app runs, naming it', async () => {
      const running = await new DeployApp(world.runner, OPEN_ACCESS).execute(OPERATOR, { appName: 'python-app', repoUrl: 'https://github.com/heroku/node-js-getting-started.git' });
      const attempt = destroyer().execute(OPERATOR, { appName: 'python-app' });
      await expect(attempt).rejects.toBeInstanceOf(DeploymentAlreadyRunning);
      await expect(attempt).rejects.toMatchObject({ deploymentId: running.id });
      await waitForEnd(world.store, running);
      await destroyer().execute(OPERATOR, { appName: 'python-app' });
      expect(await new ListApps(world.apps, OPEN_ACCESS).execute(OPERATOR)).toEqual(['node-js-app']);
    });

    test('holds the app while it runs: a deploy issued meanwhile is refused before anything reaches the host', async () => {
      let release!: () => void;
      const destroy = world.apps.destroy.bind(world.apps);
      world.apps.destroy = async (app) => {
        await new Promise<void>((done) => (release = done));
        return destroy(app);
      };
      const destroying = destroyer().execute(OPERATOR, { appName: 'python-app' });
      await new Promise((r) => setTimeout(r, 10));
      const deploy = new DeployApp(world.runner, OPEN_ACCESS).execute(OPERATOR, { appName: 'python-app', repoUrl: 'https://github.com/heroku/node-js-getting-started.git' });
      await expect(deploy).rejects.toBeInstanceOf(AppBeingDestroyed);
      await expect(deploy).rejects.toThrow('App "python-app" is being destroyed');
      release();
      await destroying;
      expect(await world.store.list({ app: 'python-app' })).toEqual([]);
      expect(await world.lock.holder('deploy:python-app')).toBeNull();
    });
  });

  describe('GetAppStatus', () => {
    test('a deployed app: running processes, scale and URLs', async () => {
      expect(await new GetAppStatus(world.apps, OPEN_ACCESS).execute(OPERATOR, { appName: 'node-js-app' })).toMatchObject({
        name: 'node-js-app',
        deployed: true,
        running: 'true',
        scale: { web: 1 },
        processes: [{ type: 'web', index: 1, status: 'running', containerId: expect.stringMatching(/^[0-9a-f]{12}$/) }],
        urls: ['http://node-js-app.dokku.me'],
      });
    });

    test('a missing app is AppNotFound', async () => {
      await expect(new GetAppStatus(world.apps, OPEN_ACCESS).execute(OPERATOR, { appName: 'no-such-app' })).rejects.toBeInstanceOf(AppNotFound);
    });
  });

  describe('StopApp', () => {
    test('stops the containers', async () => {
      await new StopApp(world.apps, OPEN_ACCESS, world.containerChanges).execute(OPERATOR, { appName: 'node-js-app' });
      const status = await new GetAppStatus(world.apps, OPEN_ACCESS).execute(OPERATOR, { appName: 'node-js-app' });
      expect(status.running).toBe('false');
      expect(status.processes.map((p) => p.status)).toEqual(['exited']);
    });

    test('an app never deployed is NotDeployed; a missing one AppNotFound', async () => {
      await expect(new StopApp(world.apps, OPEN_ACCESS, world.containerChanges).execute(OPERATOR, { appName: 'python-app' })).rejects.toBeInstanceOf(NotDeployed);
      await expect(new StopApp(world.apps, OPEN_ACCESS, world.containerChanges).execute(OPERATOR, { appName: 'no-such-app' })).rejects.toBeInstanceOf(AppNotFound);
    });
  });
});

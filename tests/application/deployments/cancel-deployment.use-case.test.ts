import { CancelDeployment } from '../../../src/application/deployments/cancel-deployment.use-case.js';
import { DeployApp } from '../../../src/application/deployments/deploy-app.use-case.js';
import { AppName } from '../../../src/domain/app-name.js';
import { Conflict, DeploymentNotFound, Unsupported } from '../../../src/domain/domain-errors.js';
import { DeploymentMother } from '../../support/mothers/deployment.mother.js';
import { createWorld, type World, type WorldOptions, OPEN_ACCESS, OPERATOR } from '../../support/sandbox-world.js';
import { waitForEnd, waitForLog } from '../../support/wait-for.js';

const REPO = 'https://github.com/heroku/node-js-getting-started.git';

describe('CancelDeployment', () => {
  let world: World;
  let cancel: CancelDeployment;

  function setUp(options: WorldOptions = {}) {
    world = createWorld(options);
    cancel = new CancelDeployment(world.getDeployment, world.deploys, OPEN_ACCESS, world.store, world.builds);
  }
  const startDeploy = () => new DeployApp(world.runner, OPEN_ACCESS).execute(OPERATOR, { appName: 'python-app', repoUrl: REPO });
  afterEach(() => world.dispose());

  test('a running deployment ends canceled, with Dokku\'s exit code and message', async () => {
    setUp();
    const deployment = await startDeploy();
    await waitForLog(world.store, deployment, 'Building python-app');
    const returned = await cancel.execute(OPERATOR, { deploymentId: deployment.id });
    expect(returned).toBe(deployment);
    expect(deployment.cancelRequested).toBe(true);
    await waitForEnd(world.store, deployment);
    expect(deployment).toMatchObject({ status: 'canceled', error: 'canceled on request' });
    expect(deployment.exitCode).toBeGreaterThan(0);
    expect((await world.logOf(deployment))).toContain(' !     Build canceled\n');
    expect((await world.apps.status(AppName.of('python-app'))).deployed).toBe(false);
  });

  test('a finished deployment cannot be canceled: Conflict naming it and how it ended', async () => {
    setUp();
    const deployment = DeploymentMother.succeeded();
    await world.store.add(deployment, DeploymentMother.log());
    const attempt = cancel.execute(OPERATOR, { deploymentId: deployment.id });
    await expect(attempt).rejects.toBeInstanceOf(Conflict);
    await expect(attempt).rejects.toMatchObject({ deploymentId: deployment.id, message: expect.stringContaining('succeeded') });
  });

  test('an unknown deployment is DeploymentNotFound', async () => {
    setUp();
    await expect(cancel.execute(OPERATOR, { deploymentId: 'deploy_0000000000zz' })).rejects.toBeInstanceOf(DeploymentNotFound);
  });

  test('on a Dokku without builds:cancel it is Unsupported, and the deployment carries on to its real end', async () => {
    setUp({ dokkuVersion: '0.37.9' });
    const deployment = await startDeploy();
    await expect(cancel.execute(OPERATOR, { deploymentId: deployment.id })).rejects.toBeInstanceOf(Unsupported);
    expect(deployment.cancelRequested).toBe(false);
    await waitForEnd(world.store, deployment);
    expect(deployment.status).toBe('succeeded');
  });

  describe('sends builds:cancel only when the build the app runs on the host is this deployment\'s', () => {
    /** A deploy under way, and its record on the host: the deployment is active here whatever the record says. */
    async function underWay() {
      setUp();
      const deployment = await startDeploy();
      await waitForLog(world.store, deployment, 'Building python-app');
      const record = world.host.buildRecord.find('python-app', deployment.hostBuildId!)!;
      expect(record.status).toBe('running');
      return { deployment, record };
    }

    test('its build has ended on the host (it waits for the record to say so here): Conflict, nothing sent', async () => {
      const { deployment, record } = await underWay();
      world.host.buildRecord.finish(record, 'abandoned', 129);
      const attempt = cancel.execute(OPERATOR, { deploymentId: deployment.id });
      await expect(attempt).rejects.toBeInstanceOf(Conflict);
      await expect(attempt).rejects.toThrow(`Deployment ${deployment.id} is no longer running on the host`);
      expect(deployment.cancelRequested).toBe(false);
      expect(await world.logOf(deployment)).not.toContain('Build canceled');
    });

    test('the host runs another build of the app (a git push once ours died): Conflict naming it, and it is not stopped', async () => {
      const { deployment, record } = await underWay();
      world.host.buildRecord.finish(record, 'abandoned', 129);
      const push = world.host.buildRecord.start('python-app', 'build', 'git-hook');
      const attempt = cancel.execute(OPERATOR, { deploymentId: deployment.id });
      await expect(attempt).rejects.toThrow(`The host is running another build of "python-app" (python-app.${push.id}), not deployment ${deployment.id}`);
      await expect(attempt).rejects.toMatchObject({ hint: expect.stringContaining(`cancel_deployment("python-app.${push.id}")`) });
      expect(push.status).toBe('running');
      expect(deployment.cancelRequested).toBe(false);
      world.host.buildRecord.finish(push, 'succeeded', 0);
    });
  });
});

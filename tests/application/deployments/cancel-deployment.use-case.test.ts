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
    cancel = new CancelDeployment(world.getDeployment, world.deploys, OPEN_ACCESS, world.store);
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
});

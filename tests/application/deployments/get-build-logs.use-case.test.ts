import { DeployApp } from '../../../src/application/deployments/deploy-app.use-case.js';
import { GetBuildLogs } from '../../../src/application/deployments/get-build-logs.use-case.js';
import { DeploymentNotFound, InvalidArgument } from '../../../src/domain/domain-errors.js';
import { DeploymentMother } from '../../support/mothers/deployment.mother.js';
import { createWorld, type World, OPEN_ACCESS, OPERATOR } from '../../support/sandbox-world.js';
import { waitForEnd, waitForLog } from '../../support/wait-for.js';

const REPO = 'https://github.com/heroku/node-js-getting-started.git';

describe('GetBuildLogs', () => {
  let world: World;
  let getBuildLogs: GetBuildLogs;

  beforeEach(() => {
    world = createWorld();
    getBuildLogs = new GetBuildLogs(world.getDeployment, world.store);
  });
  afterEach(() => world.dispose());

  test('a poller following next_offset gets each line once, then complete', async () => {
    const deployment = await new DeployApp(world.runner, OPEN_ACCESS).execute(OPERATOR, { appName: 'python-app', repoUrl: REPO });
    const first = await getBuildLogs.execute(OPERATOR, { deploymentId: deployment.id });
    // It answers once under way: the first line may be there already, the rest is not.
    expect(first).toMatchObject({ deploymentId: deployment.id, status: 'running', complete: false, skippedBytes: 0 });
    expect(first.nextOffset).toBe(first.text.length);
    expect(first.text).not.toContain('Building python-app');

    await waitForLog(world.store, deployment, 'Building python-app');
    const second = await getBuildLogs.execute(OPERATOR, { deploymentId: deployment.id, sinceOffset: first.nextOffset });
    expect(first.text + second.text).toContain('-----> Cloning python-app from');
    expect(second.nextOffset).toBe(first.text.length + second.text.length);
    expect(second.complete).toBe(false);

    await waitForEnd(world.store, deployment);
    const third = await getBuildLogs.execute(OPERATOR, { deploymentId: deployment.id, sinceOffset: second.nextOffset });
    expect(third).toMatchObject({ status: 'succeeded', complete: true });
    expect(third.text).not.toContain('Cloning python-app');
    expect(third.text).toContain('=====> Application deployed:');
    expect(first.text + second.text + third.text).toBe((await world.logOf(deployment)));

    const after = await getBuildLogs.execute(OPERATOR, { deploymentId: deployment.id, sinceOffset: third.nextOffset });
    expect(after).toMatchObject({ text: '', nextOffset: third.nextOffset, complete: true });
  });

  test('an offset inside a line starts at the next whole line', async () => {
    const deployment = DeploymentMother.running();
    await world.store.add(deployment, DeploymentMother.log(['-----> one', '-----> two']));
    expect((await getBuildLogs.execute(OPERATOR, { deploymentId: deployment.id, sinceOffset: 3 })).text).toBe('-----> two\n');
  });

  test('when the size cap dropped what was asked for, says how much was skipped', async () => {
    world.dispose();
    world = createWorld({ limits: { buildLogMaxBytes: 400 } });
    getBuildLogs = new GetBuildLogs(world.getDeployment, world.store);
    const deployment = await new DeployApp(world.runner, OPEN_ACCESS).execute(OPERATOR, { appName: 'python-app', repoUrl: REPO });
    await waitForEnd(world.store, deployment);
    const page = await getBuildLogs.execute(OPERATOR, { deploymentId: deployment.id, sinceOffset: 0 });
    expect(page.skippedBytes).toBeGreaterThan(0);
    expect(page.text).toMatch(/^\[dokku-mcp: \d+ earlier lines/);
    expect(page.text).toContain('=====> Application deployed:');
    expect(page.nextOffset).toBe(deployment.logSize);
  });

  test.each([-1, 1.5, Number.NaN])('refuses the offset %p', async (sinceOffset) => {
    const deployment = DeploymentMother.running();
    await world.store.add(deployment, DeploymentMother.log());
    await expect(getBuildLogs.execute(OPERATOR, { deploymentId: deployment.id, sinceOffset })).rejects.toThrow(InvalidArgument);
    await expect(getBuildLogs.execute(OPERATOR, { deploymentId: deployment.id, sinceOffset })).rejects.toThrow(/since_offset/);
  });

  test('a malformed id is InvalidArgument, an unknown one DeploymentNotFound', async () => {
    await expect(getBuildLogs.execute(OPERATOR, { deploymentId: '../etc/passwd' })).rejects.toThrow(InvalidArgument);
    await expect(getBuildLogs.execute(OPERATOR, { deploymentId: 'deploy_0000000000zz' })).rejects.toThrow(DeploymentNotFound);
    await expect(getBuildLogs.execute(OPERATOR, { deploymentId: 'node-js-app.zz0000000000zz' })).rejects.toThrow(DeploymentNotFound);
  });
});

describe('GetDeployment', () => {
  let world: World;
  beforeEach(() => (world = createWorld()));
  afterEach(() => world.dispose());

  test('finds a stored deployment by id', async () => {
    const deployment = DeploymentMother.succeeded();
    await world.store.add(deployment, DeploymentMother.log());
    expect(await world.getDeployment.execute(OPERATOR, { deploymentId: deployment.id })).toBe(deployment);
  });

  test.each(['', 'deploy_', 'DEPLOY_0000000001AB', 'deploy_0000000001ab; rm -rf /', 'node-js-app.', '.abcdef1234', 'Node.abcdef1234', 'node-js-app.ABC_12',
    42 as unknown as string])('refuses the id %p', async (deploymentId) => {
    await expect(world.getDeployment.execute(OPERATOR, { deploymentId })).rejects.toThrow(InvalidArgument);
    await expect(world.getDeployment.execute(OPERATOR, { deploymentId })).rejects.toThrow(/deployment_id/);
  });

  test('an unknown id is DeploymentNotFound, naming it', async () => {
    await expect(world.getDeployment.execute(OPERATOR, { deploymentId: 'deploy_0000000000zz' })).rejects.toThrow(new DeploymentNotFound('deploy_0000000000zz'));
    await expect(world.getDeployment.execute(OPERATOR, { deploymentId: 'no-such-app.abcdef123456' })).rejects.toThrow(DeploymentNotFound);
  });
});

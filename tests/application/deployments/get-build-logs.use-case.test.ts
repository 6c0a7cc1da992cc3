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
    getBuildLogs = new GetBuildLogs(world.getDeployment);
  });
  afterEach(() => world.dispose());

  test('a poller following next_offset gets each line once, then complete', async () => {
    const deployment = await new DeployApp(world.runner, OPEN_ACCESS).execute(OPERATOR, { appName: 'python-app', repoUrl: REPO });
    const first = getBuildLogs.execute(OPERATOR, { deploymentId: deployment.id });
    expect(first).toMatchObject({ deploymentId: deployment.id, status: 'running', text: '', nextOffset: 0, complete: false, skippedBytes: 0 });

    await waitForLog(world.store, deployment, 'Building python-app');
    const second = getBuildLogs.execute(OPERATOR, { deploymentId: deployment.id, sinceOffset: first.nextOffset });
    expect(second.text).toContain('-----> Cloning python-app from');
    expect(second.nextOffset).toBe(second.text.length);
    expect(second.complete).toBe(false);

    await waitForEnd(world.store, deployment);
    const third = getBuildLogs.execute(OPERATOR, { deploymentId: deployment.id, sinceOffset: second.nextOffset });
    expect(third).toMatchObject({ status: 'succeeded', complete: true });
    expect(third.text).not.toContain('Cloning python-app');
    expect(third.text).toContain('=====> Application deployed:');
    expect(first.text + second.text + third.text).toBe(deployment.log.readAll());

    const after = getBuildLogs.execute(OPERATOR, { deploymentId: deployment.id, sinceOffset: third.nextOffset });
    expect(after).toMatchObject({ text: '', nextOffset: third.nextOffset, complete: true });
  });

  test('an offset inside a line starts at the next whole line', () => {
    const deployment = DeploymentMother.running({ lines: ['-----> one', '-----> two'] });
    world.store.add(deployment);
    expect(getBuildLogs.execute(OPERATOR, { deploymentId: deployment.id, sinceOffset: 3 }).text).toBe('-----> two\n');
  });

  test('when the size cap dropped what was asked for, says how much was skipped', async () => {
    world.dispose();
    world = createWorld({ limits: { buildLogMaxBytes: 400 } });
    getBuildLogs = new GetBuildLogs(world.getDeployment);
    const deployment = await new DeployApp(world.runner, OPEN_ACCESS).execute(OPERATOR, { appName: 'python-app', repoUrl: REPO });
    await waitForEnd(world.store, deployment);
    const page = getBuildLogs.execute(OPERATOR, { deploymentId: deployment.id, sinceOffset: 0 });
    expect(page.skippedBytes).toBeGreaterThan(0);
    expect(page.text).toMatch(/^\[dokku-mcp: \d+ earlier lines/);
    expect(page.text).toContain('=====> Application deployed:');
    expect(page.nextOffset).toBe(deployment.log.size);
  });

  test.each([-1, 1.5, Number.NaN])('refuses the offset %p', (sinceOffset) => {
    const deployment = DeploymentMother.running();
    world.store.add(deployment);
    expect(() => getBuildLogs.execute(OPERATOR, { deploymentId: deployment.id, sinceOffset })).toThrow(InvalidArgument);
    expect(() => getBuildLogs.execute(OPERATOR, { deploymentId: deployment.id, sinceOffset })).toThrow(/since_offset/);
  });

  test('a malformed id is InvalidArgument, an unknown one DeploymentNotFound', () => {
    expect(() => getBuildLogs.execute(OPERATOR, { deploymentId: '../etc/passwd' })).toThrow(InvalidArgument);
    expect(() => getBuildLogs.execute(OPERATOR, { deploymentId: 'deploy_0000000000zz' })).toThrow(DeploymentNotFound);
  });
});

describe('GetDeployment', () => {
  let world: World;
  beforeEach(() => (world = createWorld()));
  afterEach(() => world.dispose());

  test('finds a stored deployment by id', () => {
    const deployment = DeploymentMother.succeeded();
    world.store.add(deployment);
    expect(world.getDeployment.execute(OPERATOR, { deploymentId: deployment.id })).toBe(deployment);
  });

  test.each(['', 'deploy_', 'DEPLOY_0000000001AB', 'deploy_0000000001ab; rm -rf /', 42 as unknown as string])('refuses the id %p', (deploymentId) => {
    expect(() => world.getDeployment.execute(OPERATOR, { deploymentId })).toThrow(InvalidArgument);
    expect(() => world.getDeployment.execute(OPERATOR, { deploymentId })).toThrow(/deployment_id/);
  });

  test('an unknown id is DeploymentNotFound, naming it', () => {
    expect(() => world.getDeployment.execute(OPERATOR, { deploymentId: 'deploy_0000000000zz' })).toThrow(new DeploymentNotFound('deploy_0000000000zz'));
  });
});

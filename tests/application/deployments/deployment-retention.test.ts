import { DeployApp } from '../../../src/application/deployments/deploy-app.use-case.js';
import { ListDeployments } from '../../../src/application/deployments/list-deployments.use-case.js';
import { DeploymentNotFound } from '../../../src/domain/domain-errors.js';
import { DeploymentMother } from '../../support/mothers/deployment.mother.js';
import { createWorld, TEST_LIMITS, type World, OPEN_ACCESS, OPERATOR } from '../../support/sandbox-world.js';
import { waitForEnd } from '../../support/wait-for.js';

const RETENTION = TEST_LIMITS.buildRetentionMs;
const REPO = 'https://github.com/heroku/node-js-getting-started.git';

/** Finished deployments are kept `buildRetentionMs` after they finish and at most `maxDeployments` at once. */
describe('deployment retention', () => {
  let world: World;
  afterEach(() => world.dispose());

  test('a finished deployment is gone once the retention has passed since it finished (a host without a build record)', async () => {
    world = createWorld({ dokkuVersion: '0.37.9' });
    const deployment = await new DeployApp(world.runner, OPEN_ACCESS).execute(OPERATOR, {
      appName: 'python-app',
      repoUrl: 'https://github.com/heroku/node-js-getting-started.git',
    });
    world.clock.advance(RETENTION * 3); // a long build: retention counts from the end, not the start
    await waitForEnd(world.store, deployment);
    world.clock.advance(RETENTION - 1);
    expect(await world.getDeployment.execute(OPERATOR, { deploymentId: deployment.id })).toBe(deployment);
    world.clock.advance(1);
    await expect(world.getDeployment.execute(OPERATOR, { deploymentId: deployment.id })).rejects.toThrow(DeploymentNotFound);
    expect((await new ListDeployments(world.store, OPEN_ACCESS, world.builds).execute(OPERATOR)).deployments).toEqual([]);
  });

  test("past the retention, a deployment with a host build id is answered from the host's record", async () => {
    world = createWorld();
    const deployment = await new DeployApp(world.runner, OPEN_ACCESS).execute(OPERATOR, { appName: 'python-app', repoUrl: REPO });
    expect(deployment.id).toMatch(/^python-app\.[0-9a-z]{14}$/);
    await waitForEnd(world.store, deployment);
    const ownLog = await world.logOf(deployment);
    world.clock.advance(RETENTION);
    const again = await world.getDeployment.execute(OPERATOR, { deploymentId: deployment.id });
    expect(again).not.toBe(deployment);
    expect(again).toMatchObject({ id: deployment.id, origin: 'host', status: 'succeeded', kind: 'deploy' });
    expect(await world.logOf(again)).toBe(ownLog);
  });

  test('a running deployment is never expired', async () => {
    world = createWorld();
    const running = DeploymentMother.running({ createdAt: world.clock.now() });
    await world.store.add(running, DeploymentMother.log());
    world.clock.advance(24 * 60 * 60_000);
    expect(await world.getDeployment.execute(OPERATOR, { deploymentId: running.id })).toBe(running);
  });

  test('past the count bound the oldest finished go first; running ones stay', async () => {
    world = createWorld({ limits: { maxDeployments: 3 } });
    const now = world.clock.now();
    const running = DeploymentMother.running({ createdAt: now });
    const [a, b, c] = [1, 2, 3].map(() => DeploymentMother.succeeded({ createdAt: now }, now));
    for (const d of [running, a!, b!, c!]) await world.store.add(d, DeploymentMother.log());
    expect((await world.store.list())).toEqual([c, b, running]);

    const moreRunning = [1, 2, 3].map(() => DeploymentMother.running({ createdAt: now }));
    for (const d of moreRunning) await world.store.add(d, DeploymentMother.log());
    // Only running deployments are left; the bound never cancels work in progress.
    expect((await world.store.list())).toEqual([...moreRunning].reverse().concat(running));
  });
});

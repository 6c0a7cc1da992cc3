import { DeployApp } from '../../../src/application/deployments/deploy-app.use-case.js';
import { WatchDeployment } from '../../../src/application/deployments/watch-deployment.use-case.js';
import type { DeploymentStatus } from '../../../src/domain/deployment.js';
import { DeploymentNotFound } from '../../../src/domain/domain-errors.js';
import { createWorld, type World, OPEN_ACCESS, OPERATOR } from '../../support/sandbox-world.js';
import { waitForEnd } from '../../support/wait-for.js';

describe('WatchDeployment', () => {
  let world: World;
  let watch: WatchDeployment;

  beforeEach(() => {
    world = createWorld();
    watch = new WatchDeployment(world.getDeployment, world.store);
  });
  afterEach(() => world.dispose());

  test('tells the listener each time the log grows and when the deployment ends', async () => {
    const deployment = await new DeployApp(world.runner, OPEN_ACCESS).execute(OPERATOR, { appName: 'python-app', repoUrl: 'https://github.com/heroku/node-js-getting-started.git' });
    const seen: Array<{ size: number; status: DeploymentStatus }> = [];
    await watch.execute(OPERATOR, { deploymentId: deployment.id }, (d) => seen.push({ size: d.logSize, status: d.status }));
    await waitForEnd(world.store, deployment);
    expect(seen.length).toBeGreaterThan(3);
    expect(seen[seen.length - 1]).toEqual({ size: deployment.logSize, status: 'succeeded' });
    const sizes = seen.map((s) => s.size);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
  });

  test('the returned function stops the notifications', async () => {
    const deployment = await new DeployApp(world.runner, OPEN_ACCESS).execute(OPERATOR, { appName: 'python-app', repoUrl: 'https://github.com/heroku/node-js-getting-started.git' });
    let calls = 0;
    const stop = await watch.execute(OPERATOR, { deploymentId: deployment.id }, () => calls++);
    stop();
    await waitForEnd(world.store, deployment);
    expect(calls).toBe(0);
  });

  test('an unknown deployment is DeploymentNotFound', async () => {
    await expect(watch.execute(OPERATOR, { deploymentId: 'deploy_0000000000zz' }, () => {})).rejects.toThrow(DeploymentNotFound);
  });
});

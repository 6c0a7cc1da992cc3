import { DeployApp } from '../../../src/application/deployments/deploy-app.use-case.js';
import { DrainDeployments } from '../../../src/application/server/drain-deployments.use-case.js';
import type { ShutdownNotice, ShutdownReport } from '../../../src/application/server/server-lifecycle.js';
import { ServerShuttingDown } from '../../../src/domain/domain-errors.js';
import { createWorld, OPEN_ACCESS, OPERATOR, type World } from '../../support/sandbox-world.js';
import { waitForEnd } from '../../support/wait-for.js';

const REPO = 'https://github.com/heroku/node-js-getting-started.git';

describe('DrainDeployments (graceful shutdown, the application part)', () => {
  let world: World;
  let drain: DrainDeployments;
  let deployApp: DeployApp;
  let notices: ShutdownNotice[];
  let reports: ShutdownReport[];

  const setUp = (deployStepMs: number) => {
    world = createWorld({ deployStepMs });
    drain = new DrainDeployments(world.lifecycle, world.store, world.runner, world.logger);
    deployApp = new DeployApp(world.runner, OPEN_ACCESS);
    notices = [];
    reports = [];
    world.lifecycle.onStopping((n) => void notices.push(n));
    world.lifecycle.onStopped((r) => void reports.push(r));
  };
  afterEach(() => world.dispose());

  test('with nothing running: stops at once, tells the listeners, and refuses new deploys', async () => {
    setUp(5);
    expect(await drain.execute({ why: 'SIGTERM', graceMs: 30_000 })).toEqual({ why: 'SIGTERM', unfinished: [] });
    expect(notices).toEqual([{ why: 'SIGTERM', graceMs: 30_000, running: [] }]);
    expect(reports).toEqual([{ why: 'SIGTERM', unfinished: [] }]);
    const refused = deployApp.execute(OPERATOR, { appName: 'python-app', repoUrl: REPO });
    await expect(refused).rejects.toBeInstanceOf(ServerShuttingDown);
    await expect(refused).rejects.toMatchObject({ code: 'SHUTTING_DOWN', message: expect.stringContaining('SIGTERM') });
    expect(await world.store.list()).toEqual([]);
  });

  test('waits for a running deploy that ends within the grace: it succeeds, nothing is unfinished', async () => {
    setUp(20);
    const deployment = await deployApp.execute(OPERATOR, { appName: 'python-app', repoUrl: REPO });
    const report = await drain.execute({ why: 'SIGINT', graceMs: 30_000 });
    expect(deployment.status).toBe('succeeded');
    expect(report.unfinished).toEqual([]);
    expect(notices[0]!.running).toEqual([{ id: deployment.id, app: 'python-app' }]);
  });

  test('settles a deploy still running when the grace ends as "outcome unknown: the server shut down"', async () => {
    setUp(60_000); // one group of output a minute: far past the grace
    const deployment = await deployApp.execute(OPERATOR, { appName: 'python-app', repoUrl: REPO });
    const report = await drain.execute({ why: 'SIGTERM', graceMs: 50 });
    expect(report.unfinished).toEqual([{ id: deployment.id, app: 'python-app', outcome: 'unknown' }]);
    expect(reports).toEqual([report]);
    expect(deployment.status).toBe('failed');
    expect(deployment.error).toMatch(/^outcome unknown: the server shut down \(SIGTERM\) while it ran/);
    expect((await world.store.get(deployment.key))?.status).toBe('failed'); // stored so, for every reader
    expect(world.runner.runningHere()).toEqual([]);
    expect(world.logger.entries.some((e) => e.level === 'warn' && /outcome unknown/.test(e.msg))).toBe(true);
  });

  test('a second signal (hurry) stops waiting before the grace ends', async () => {
    setUp(60_000);
    const deployment = await deployApp.execute(OPERATOR, { appName: 'python-app', repoUrl: REPO });
    let hurry!: () => void;
    const draining = drain.execute({ why: 'SIGTERM', graceMs: 600_000, hurry: new Promise((r) => (hurry = r)) });
    hurry();
    expect((await draining).unfinished).toEqual([{ id: deployment.id, app: 'python-app', outcome: 'unknown' }]);
    await waitForEnd(world.store, deployment);
  });
});

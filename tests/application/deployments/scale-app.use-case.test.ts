import { MAX_PROCESS_COUNT, ScaleApp } from '../../../src/application/deployments/scale-app.use-case.js';
import { AppName } from '../../../src/domain/app-name.js';
import { AppNotFound, InvalidArgument } from '../../../src/domain/domain-errors.js';
import { createWorld, type World, OPEN_ACCESS, OPERATOR } from '../../support/sandbox-world.js';
import { waitForEnd } from '../../support/wait-for.js';

describe('ScaleApp', () => {
  let world: World;
  let scaleApp: ScaleApp;

  beforeEach(() => {
    world = createWorld();
    scaleApp = new ScaleApp(world.runner, OPEN_ACCESS);
  });
  afterEach(() => world.dispose());

  test.each([
    ['no process at all', {}, 'processes'],
    ['a bad process type', { 'web.1': 1 }, 'processes'],
    ['a type starting with "-"', { '-web': 1 }, 'processes'],
    ['a negative count', { web: -1 }, 'processes.web'],
    ['a fractional count', { web: 1.5 }, 'processes.web'],
    [`more than ${MAX_PROCESS_COUNT}`, { web: MAX_PROCESS_COUNT + 1 }, 'processes.web'],
    ['a count that is not a number', { web: '2' as unknown as number }, 'processes.web'],
  ])('refuses %s', async (_case, processes, field) => {
    const attempt = scaleApp.execute(OPERATOR, { appName: 'node-js-app', processes });
    await expect(attempt).rejects.toBeInstanceOf(InvalidArgument);
    await expect(attempt).rejects.toMatchObject({ field });
    expect((await world.store.list())).toEqual([]);
  });

  test('scales a deployed app as a tracked deployment; status shows the new counts and containers', async () => {
    const deployment = await scaleApp.execute(OPERATOR, { appName: 'node-js-app', processes: { web: 3 } });
    expect(deployment.kind).toBe('scale');
    await waitForEnd(world.store, deployment);
    expect(deployment.status).toBe('succeeded');
    expect((await world.logOf(deployment))).toContain('-----> Scaling node-js-app processes: web=3');
    const status = await world.apps.status(AppName.of('node-js-app'));
    expect(status.scale).toEqual({ web: 3 });
    expect(status.processes.map((p) => `${p.type}.${p.index}`)).toEqual(['web.1', 'web.2', 'web.3']);
  });

  test(`accepts 0 and ${MAX_PROCESS_COUNT}`, async () => {
    const deployment = await scaleApp.execute(OPERATOR, { appName: 'python-app', processes: { web: 0, worker: MAX_PROCESS_COUNT } });
    await waitForEnd(world.store, deployment);
    expect(deployment.status).toBe('succeeded');
    expect((await world.apps.status(AppName.of('python-app'))).scale).toEqual({ web: 0, worker: MAX_PROCESS_COUNT });
  });

  test('a process type the deployed app does not declare fails with Dokku\'s message', async () => {
    const deployment = await scaleApp.execute(OPERATOR, { appName: 'node-js-app', processes: { worker: 2 } });
    await waitForEnd(world.store, deployment);
    expect(deployment).toMatchObject({ status: 'failed', exitCode: 1, error: 'worker is not a valid process name to scale up' });
  });

  test('a missing app is AppNotFound', async () => {
    await expect(scaleApp.execute(OPERATOR, { appName: 'no-such-app', processes: { web: 1 } })).rejects.toBeInstanceOf(AppNotFound);
  });
});

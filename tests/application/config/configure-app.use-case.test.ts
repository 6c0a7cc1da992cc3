import { ConfigureApp } from '../../../src/application/config/configure-app.use-case.js';
import { DeployApp } from '../../../src/application/deployments/deploy-app.use-case.js';
import { AppName } from '../../../src/domain/app-name.js';
import { AppNotFound, DeploymentAlreadyRunning, InvalidArgument } from '../../../src/domain/domain-errors.js';
import { createWorld, type World, OPEN_ACCESS, OPERATOR } from '../../support/sandbox-world.js';
import { waitForEnd } from '../../support/wait-for.js';

const node = AppName.of('node-js-app');

describe('ConfigureApp', () => {
  let world: World;
  let configure: ConfigureApp;

  beforeEach(() => {
    world = createWorld();
    configure = new ConfigureApp(world.config, world.runner, world.appSecrets, OPEN_ACCESS);
  });
  afterEach(() => world.dispose());

  test('with restart (the default): a config_change deployment whose log never shows the values set', async () => {
    const vars = {
      GREETING: 'hello from the sandbox', // nothing secret-looking: redacted because it is a value being set
      STRIPE_KEY: 'sk_live_51Habcdefghijklmnop',
      MOTD: 'first line\nsecond line here',
    };
    const result = await configure.execute(OPERATOR, { appName: 'node-js-app', vars });
    expect(result.restarted).toBe(true);
    expect(result.keys).toEqual(['GREETING', 'STRIPE_KEY', 'MOTD']);
    if (!result.restarted) throw new Error('unreachable');
    const { deployment } = result;
    expect(deployment.kind).toBe('config_change');
    await waitForEnd(world.store, deployment);
    expect(deployment.status).toBe('succeeded');

    const log = (await world.logOf(deployment));
    expect(log).toContain('-----> Setting config vars');
    expect(log).toMatch(/^ {7}GREETING: +\[REDACTED\]$/m);
    expect(log).toContain('-----> Restarting app node-js-app');
    for (const secret of ['hello from the sandbox', 'sk_live_51Habcdefghijklmnop', 'first line', 'second line here']) {
      expect(log).not.toContain(secret);
    }
    expect(await world.config.get(node)).toMatchObject(vars);
  });

  test('a value too short to replace everywhere is still redacted where Dokku echoes it', async () => {
    const result = await configure.execute(OPERATOR, { appName: 'node-js-app', vars: { PIN: '42', FEATURE_X: 'on' } });
    if (!result.restarted) throw new Error('a restart was asked for');
    await waitForEnd(world.store, result.deployment);
    const log = (await world.logOf(result.deployment));
    expect(log).toMatch(/^ {7}PIN: +\[REDACTED\]$/m);
    expect(log).toMatch(/^ {7}FEATURE_X: +\[REDACTED\]$/m);
    expect(log).not.toMatch(/PIN: +42/);
    expect(log).not.toMatch(/FEATURE_X: +on/);
  });

  test('without restart: stored at once, no deployment', async () => {
    const result = await configure.execute(OPERATOR, { appName: 'node-js-app', vars: { FEATURE_X: 'on' }, restart: false });
    expect(result).toEqual({ restarted: false, keys: ['FEATURE_X'] });
    expect((await world.store.list())).toEqual([]);
    expect(await world.config.get(node)).toMatchObject({ FEATURE_X: 'on', NODE_ENV: 'production' });
  });

  test('on an app never deployed Dokku sets the values without restarting anything', async () => {
    const result = await configure.execute(OPERATOR, { appName: 'python-app', vars: { DEBUG: 'false' } });
    if (!result.restarted) throw new Error('a restart was asked for; it is tracked even when Dokku skips it');
    await waitForEnd(world.store, result.deployment);
    expect(result.deployment.status).toBe('succeeded');
    expect((await world.logOf(result.deployment))).not.toContain('Restarting app');
    expect(await world.config.get(AppName.of('python-app'))).toEqual({ DEBUG: 'false' });
  });

  test.each([
    ['no variables', {}, 'vars'],
    ['a bad key', { 'MY-KEY': 'x' }, 'vars.MY-KEY'],
    ['a key starting with a digit', { '1KEY': 'x' }, 'vars.1KEY'],
    ['a value with NUL', { KEY: 'a\0b' }, 'vars.KEY'],
  ])('refuses %s', async (_case, vars, field) => {
    const attempt = configure.execute(OPERATOR, { appName: 'node-js-app', vars });
    await expect(attempt).rejects.toBeInstanceOf(InvalidArgument);
    await expect(attempt).rejects.toMatchObject({ field });
    expect((await world.store.list())).toEqual([]);
  });

  test.each([true, false])('a missing app is AppNotFound (restart: %p)', async (restart) => {
    await expect(configure.execute(OPERATOR, { appName: 'no-such-app', vars: { A: 'b' }, restart })).rejects.toBeInstanceOf(AppNotFound);
  });

  test('a restarting change is refused while a deploy of the app runs', async () => {
    const running = await new DeployApp(world.runner, OPEN_ACCESS).execute(OPERATOR, { appName: 'node-js-app', repoUrl: 'https://github.com/heroku/node-js-getting-started.git' });
    const attempt = configure.execute(OPERATOR, { appName: 'node-js-app', vars: { A: 'b' } });
    await expect(attempt).rejects.toBeInstanceOf(DeploymentAlreadyRunning);
    await expect(attempt).rejects.toMatchObject({ deploymentId: running.id });
  });
});

import { DeployApp } from '../../../src/application/deployments/deploy-app.use-case.js';
import { GetFailedDeployLogs } from '../../../src/application/logs/get-failed-deploy-logs.use-case.js';
import { AppNotFound } from '../../../src/domain/domain-errors.js';
import { createWorld, type World, OPEN_ACCESS, OPERATOR } from '../../support/sandbox-world.js';
import { waitForEnd } from '../../support/wait-for.js';

describe('GetFailedDeployLogs', () => {
  let world: World;
  let getFailed: GetFailedDeployLogs;

  beforeEach(() => {
    world = createWorld();
    getFailed = new GetFailedDeployLogs(world.logs, world.appSecrets, OPEN_ACCESS);
  });
  afterEach(() => world.dispose());

  test('before any failure Dokku has nothing to show', async () => {
    expect(await getFailed.execute(OPERATOR, { appName: 'node-js-app' })).toEqual({ appName: 'node-js-app', text: ' !     No failed containers found\n' });
  });

  test('after a failed deploy, the failed containers\' output', async () => {
    const deployment = await new DeployApp(world.runner, OPEN_ACCESS).execute(OPERATOR, { appName: 'python-app', repoUrl: 'https://github.com/example/fail-app.git' });
    await waitForEnd(world.store, deployment);
    const { text } = await getFailed.execute(OPERATOR, { appName: 'python-app' });
    expect(text).toMatch(/^=====> python-app failed deploy logs\n/);
    expect(text).toContain('npm ERR! 404');
  });

  test('the text is sanitized and stripped of ANSI colours', async () => {
    // Arranged directly on the simulated host: a crashed container that printed its credentials in colour.
    world.host.app('node-js-app').failedDeployLog = ['\x1b[31mError: connect to postgres://app:s3cr3tpw@db:5432/app refused\x1b[0m'];
    const { text } = await getFailed.execute(OPERATOR, { appName: 'node-js-app' });
    expect(text).toContain('Error: connect to postgres://app:[REDACTED]@db:5432/app refused');
    expect(text).not.toContain('s3cr3tpw');
    expect(text).not.toContain('\x1b');
  });

  test("the app's own config values are redacted too, and a key whose BEGIN line is not shown (issue 14)", async () => {
    world.host.app('node-js-app').config.set('STRIPE_WEBHOOK', 'whsec_51Hx9Zq');
    world.host.app('node-js-app').failedDeployLog = ['MIIEowIBAAKCAQEAu1SU1LfVLPH', '-----END RSA PRIVATE KEY-----', 'registering webhook whsec_51Hx9Zq', 'exit 1'];
    const { text } = await getFailed.execute(OPERATOR, { appName: 'node-js-app' });
    expect(text).toContain('registering webhook [REDACTED]');
    expect(text).not.toMatch(/whsec_51Hx9Zq|MIIEowIBAAKCAQEAu1SU1LfVLPH/);
    expect(text).toContain('exit 1');
  });

  test('a missing app is AppNotFound', async () => {
    await expect(getFailed.execute(OPERATOR, { appName: 'no-such-app' })).rejects.toBeInstanceOf(AppNotFound);
  });
});

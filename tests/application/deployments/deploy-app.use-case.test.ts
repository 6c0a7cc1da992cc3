import { DeployApp } from '../../../src/application/deployments/deploy-app.use-case.js';
import { DeployImage } from '../../../src/application/deployments/deploy-image.use-case.js';
import { AppNotFound, DeploymentAlreadyRunning, InvalidArgument } from '../../../src/domain/domain-errors.js';
import { createWorld, type World, OPEN_ACCESS, OPERATOR } from '../../support/sandbox-world.js';
import { logText, waitForEnd, waitForLog } from '../../support/wait-for.js';

const REPO = 'https://github.com/heroku/node-js-getting-started.git';

describe('DeployApp', () => {
  let world: World;
  let deployApp: DeployApp;

  beforeEach(() => {
    world = createWorld();
    deployApp = new DeployApp(world.runner, OPEN_ACCESS);
  });
  afterEach(() => world.dispose());

  test('returns once under way (its first line logged) with a running deployment, whose log then grows', async () => {
    const deployment = await deployApp.execute(OPERATOR, { appName: 'python-app', repoUrl: REPO, gitRef: 'main' });
    expect(deployment.status).toBe('running');
    expect(deployment.kind).toBe('deploy');
    expect(deployment.source).toEqual({ type: 'git', repoUrl: REPO, ref: 'main' });
    expect((await world.store.get(deployment.id))).toBe(deployment);

    await waitForLog(world.store, deployment, `-----> Cloning python-app from ${REPO}#main`);
    const early = deployment.logSize;
    expect(await logText(world.store, deployment)).not.toContain('Releasing python-app');
    expect(early).toBeGreaterThan(0);
    await waitForLog(world.store, deployment, 'Releasing python-app');
    expect(deployment.logSize).toBeGreaterThan(early);
    await waitForEnd(world.store, deployment);
  });

  test('success: succeeded with exit code 0, the app deployed and running', async () => {
    const deployment = await deployApp.execute(OPERATOR, { appName: 'python-app', repoUrl: REPO });
    await waitForEnd(world.store, deployment);
    expect(deployment.status).toBe('succeeded');
    expect(deployment.exitCode).toBe(0);
    expect(deployment.error).toBeUndefined();
    expect(deployment.finishedAt).toBeDefined();
    expect((await world.logOf(deployment))).toContain('=====> Application deployed:\n       http://python-app.dokku.me\n');
    expect(await world.apps.status(deployment.app)).toMatchObject({ deployed: true, running: 'true', scale: { web: 1 } });
  });

  test('failure: a source that does not build ends failed, with exit code and Dokku\'s reason', async () => {
    const deployment = await deployApp.execute(OPERATOR, { appName: 'python-app', repoUrl: 'https://github.com/example/fail-app.git' });
    await waitForEnd(world.store, deployment);
    expect(deployment.status).toBe('failed');
    expect(deployment.exitCode).toBe(1);
    expect(deployment.error).toBe('App build failed');
    expect((await world.logOf(deployment))).toContain(' !     App build failed\n');
    expect((await world.apps.status(deployment.app)).deployed).toBe(false);
  });

  test('a second deploy of the same app while one runs is refused, naming the running one', async () => {
    const first = await deployApp.execute(OPERATOR, { appName: 'python-app', repoUrl: REPO });
    const second = deployApp.execute(OPERATOR, { appName: 'python-app', repoUrl: REPO });
    await expect(second).rejects.toBeInstanceOf(DeploymentAlreadyRunning);
    await expect(second).rejects.toMatchObject({ deploymentId: first.id, message: expect.stringContaining(first.id) });
    expect((await world.store.list({ app: 'python-app' }))).toEqual([first]);
    await waitForEnd(world.store, first);
    expect(first.status).toBe('succeeded');
  });

  test('deploys of different apps run side by side', async () => {
    const a = await deployApp.execute(OPERATOR, { appName: 'python-app', repoUrl: REPO });
    const b = await deployApp.execute(OPERATOR, { appName: 'node-js-app', repoUrl: REPO });
    await Promise.all([waitForEnd(world.store, a), waitForEnd(world.store, b)]);
    expect([a.status, b.status]).toEqual(['succeeded', 'succeeded']);
  });

  test('a missing app is AppNotFound before any deployment exists', async () => {
    await expect(deployApp.execute(OPERATOR, { appName: 'no-such-app', repoUrl: REPO })).rejects.toBeInstanceOf(AppNotFound);
    expect((await world.store.list())).toEqual([]);
  });

  test.each([
    ['appName', { appName: 'Bad_Name', repoUrl: REPO }],
    ['repo_url', { appName: 'python-app', repoUrl: 'file:///home/dokku/node-js-app' }],
    ['repo_url', { appName: 'python-app', repoUrl: '--upload-pack=touch /tmp/x' }],
    ['git_ref', { appName: 'python-app', repoUrl: REPO, gitRef: '--force' }],
  ])('an invalid %s is refused before anything runs', async (_field, input) => {
    await expect(deployApp.execute(OPERATOR, input)).rejects.toBeInstanceOf(InvalidArgument);
    expect((await world.store.list())).toEqual([]);
  });

  test('an empty git ref means the default branch', async () => {
    const deployment = await deployApp.execute(OPERATOR, { appName: 'python-app', repoUrl: REPO, gitRef: '' });
    expect(deployment.source).toEqual({ type: 'git', repoUrl: REPO, ref: undefined });
    await waitForEnd(world.store, deployment);
    expect((await world.logOf(deployment))).toContain(`-----> Cloning python-app from ${REPO}\n`);
  });

  test('secrets in the build output are redacted in the log', async () => {
    const deployment = await deployApp.execute(OPERATOR, { appName: 'node-js-app', repoUrl: REPO });
    await waitForEnd(world.store, deployment);
    const text = (await world.logOf(deployment));
    expect(text).toContain('Connecting to postgres://app:[REDACTED]@dokku-postgres-db:5432/app');
    expect(text).not.toContain('s3cr3tpw');
  });

  test('a deploy whose connection drops stays running until the host\'s build record says how it ended, then ends so', async () => {
    const deployment = await deployApp.execute(OPERATOR, { appName: 'python-app', repoUrl: REPO });
    world.host.simulateOutage(); // the host goes away…
    world.host.dispose(); // …and with it the deploy's channel, mid-build: Dokku's deploy dies at its next write
    await waitForLog(world.store, deployment, 'the connection to the Dokku host was lost while this ran');
    // Not failed on a guess: the record cannot be read yet, so it is still running, and its app still taken.
    await new Promise((done) => setTimeout(done, 300));
    expect(deployment.status).toBe('running');
    await expect(deployApp.execute(OPERATOR, { appName: 'python-app', repoUrl: REPO })).rejects.toBeInstanceOf(DeploymentAlreadyRunning);
    world.host.endOutage();
    await waitForEnd(world.store, deployment);
    expect(deployment.status).toBe('failed');
    expect(deployment.error).toMatch(/^Dokku recorded it as abandoned: .*; the connection to the Dokku host was lost while it ran \(sandbox host disposed\)/);
    expect(deployment.exitCode).toBe(129);
  });

  test('a shutdown while a lost deploy waits for the host\'s record settles it at once, saying both, and frees its app', async () => {
    const deployment = await deployApp.execute(OPERATOR, { appName: 'python-app', repoUrl: REPO });
    world.host.simulateOutage();
    world.host.dispose();
    await waitForLog(world.store, deployment, 'the connection to the Dokku host was lost while this ran');
    expect(await world.locks.busy(deployment.app.value)).toBe(true);
    expect(await world.runner.settleAtShutdown(deployment, 'SIGTERM')).toBe(false);
    expect(deployment.status).toBe('failed');
    expect(deployment.error).toMatch(/^outcome unknown: the connection to the Dokku host was lost while it ran \(sandbox host disposed\), and the server shut down \(SIGTERM\) before the host said how it ended/);
    expect(await world.locks.busy(deployment.app.value)).toBe(false); // not left locked behind a settled deployment
    expect((await world.store.get(deployment.key))?.status).toBe('failed');
  });

  test('a deploy whose connection drops ends failed "outcome unknown" when the host does not answer within deployments.lost_recheck_seconds', async () => {
    world.dispose();
    world = createWorld({ lostRecheckMs: 300 });
    deployApp = new DeployApp(world.runner, OPEN_ACCESS);
    const deployment = await deployApp.execute(OPERATOR, { appName: 'python-app', repoUrl: REPO });
    world.host.simulateOutage();
    world.host.dispose();
    await waitForEnd(world.store, deployment);
    expect(deployment.status).toBe('failed');
    expect(deployment.error).toMatch(/connection to the Dokku host was lost; outcome unknown \(sandbox host disposed\)/);
    expect(deployment.exitCode).toBeUndefined();
  });

  test('on a Dokku without a build record (before 0.38), a deploy whose connection drops ends "outcome unknown" at once', async () => {
    world.dispose();
    world = createWorld({ dokkuVersion: '0.35.12' });
    deployApp = new DeployApp(world.runner, OPEN_ACCESS);
    const deployment = await deployApp.execute(OPERATOR, { appName: 'python-app', repoUrl: REPO });
    world.host.dispose();
    await waitForEnd(world.store, deployment);
    expect(deployment.error).toMatch(/connection to the Dokku host was lost; outcome unknown/);
    expect(await logText(world.store, deployment)).not.toContain('build record');
  });

  test('the end of each deployment is logged for operators', async () => {
    const deployment = await deployApp.execute(OPERATOR, { appName: 'python-app', repoUrl: REPO });
    await waitForEnd(world.store, deployment);
    expect(world.logger.entries).toContainEqual(
      expect.objectContaining({ level: 'info', msg: 'deployment finished', meta: expect.objectContaining({ deployment: deployment.id, status: 'succeeded' }) }),
    );
  });
});

describe('DeployImage', () => {
  let world: World;
  let deployImage: DeployImage;

  beforeEach(() => {
    world = createWorld();
    deployImage = new DeployImage(world.runner, OPEN_ACCESS);
  });
  afterEach(() => world.dispose());

  test('builds a FROM <image> Dockerfile and deploys it', async () => {
    const deployment = await deployImage.execute(OPERATOR, { appName: 'python-app', image: 'nginx:1.27' });
    expect(deployment).toMatchObject({ kind: 'deploy_image', source: { type: 'image', image: 'nginx:1.27' }, status: 'running' });
    await waitForEnd(world.store, deployment);
    expect(deployment.status).toBe('succeeded');
    expect((await world.logOf(deployment))).toContain('Step 1/1 : FROM nginx:1.27\n');
    expect((await world.apps.status(deployment.app)).deployed).toBe(true);
  });

  test('an image that cannot be pulled fails the deployment', async () => {
    const deployment = await deployImage.execute(OPERATOR, { appName: 'python-app', image: 'example/fail:latest' });
    await waitForEnd(world.store, deployment);
    expect(deployment).toMatchObject({ status: 'failed', exitCode: 1, error: 'App build failed' });
  });

  test.each(['dokku/node-js-app:latest', '-nginx', 'nginx latest'])('refuses the image %p', async (image) => {
    await expect(deployImage.execute(OPERATOR, { appName: 'python-app', image })).rejects.toBeInstanceOf(InvalidArgument);
    expect((await world.store.list())).toEqual([]);
  });

  test('a missing app is AppNotFound', async () => {
    await expect(deployImage.execute(OPERATOR, { appName: 'no-such-app', image: 'nginx' })).rejects.toBeInstanceOf(AppNotFound);
  });
});

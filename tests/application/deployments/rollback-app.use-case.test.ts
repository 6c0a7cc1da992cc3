import { DeployApp } from '../../../src/application/deployments/deploy-app.use-case.js';
import { DeployImage } from '../../../src/application/deployments/deploy-image.use-case.js';
import { RollbackApp } from '../../../src/application/deployments/rollback-app.use-case.js';
import type { Deployment } from '../../../src/domain/deployment.js';
import { Conflict, InvalidArgument } from '../../../src/domain/domain-errors.js';
import type { DeployOperation } from '../../../src/ports/dokku-deploys.port.js';
import { createWorld, type World, OPEN_ACCESS, OPERATOR } from '../../support/sandbox-world.js';
import { waitForEnd } from '../../support/wait-for.js';

const REPO = 'https://github.com/heroku/node-js-getting-started.git';

describe('RollbackApp', () => {
  let world: World;
  let rollback: RollbackApp;
  let started: DeployOperation[];
  beforeEach(() => {
    world = createWorld();
    started = [];
    const start = world.deploys.start.bind(world.deploys);
    world.deploys.start = (operation, onOutput) => (started.push(operation), start(operation, onOutput));
    rollback = new RollbackApp(world.runner, world.history, world.store, OPEN_ACCESS);
  });
  afterEach(() => world.dispose());

  const ended = async (d: Promise<Deployment>) => waitForEnd(world.store, await d);
  const deployGit = (repoUrl = REPO) => ended(new DeployApp(world.runner, OPEN_ACCESS).execute(OPERATOR, { appName: 'python-app', repoUrl }));
  const sha = () => world.host.find('python-app')!.gitSha!;

  test('redeploys the previous successful deploy at its exact commit, tracked as a rollback', async () => {
    await deployGit();
    const first = sha();
    await deployGit();
    expect(sha()).not.toBe(first);
    const back = await ended(rollback.execute(OPERATOR, { appName: 'python-app' }));
    expect(back).toMatchObject({ kind: 'rollback', status: 'succeeded', source: { type: 'git', repoUrl: REPO, ref: first } });
    expect(started.at(-1)).toMatchObject({ kind: 'deploy', repoUrl: { value: REPO }, ref: { value: first } });
    expect(sha()).toBe(first);
  });

  test('after a deploy that left the app down, goes back to the last good one; a named one is taken as named', async () => {
    const good = await deployGit();
    const goodSha = sha();
    const broken = await deployGit('https://github.com/example/crash-on-start.git');
    expect(broken.status).toBe('failed');
    const back = await ended(rollback.execute(OPERATOR, { appName: 'python-app' }));
    expect(back.source).toEqual({ type: 'git', repoUrl: REPO, ref: goodSha });
    await deployGit();
    const again = await ended(rollback.execute(OPERATOR, { appName: 'python-app', deploymentId: good.id }));
    expect(again.source).toEqual({ type: 'git', repoUrl: REPO, ref: goodSha });
  });

  test('an image deploy is rolled back to its image', async () => {
    const deployImage = new DeployImage(world.runner, OPEN_ACCESS);
    await ended(deployImage.execute(OPERATOR, { appName: 'python-app', image: 'nginx:1.26' }));
    await ended(deployImage.execute(OPERATOR, { appName: 'python-app', image: 'nginx:1.27' }));
    const back = await ended(rollback.execute(OPERATOR, { appName: 'python-app' }));
    expect(started.at(-1)).toMatchObject({ kind: 'deploy_image', image: { value: 'nginx:1.26' } });
    expect(back).toMatchObject({ kind: 'rollback', status: 'succeeded' });
  });

  describe('refusals, with nothing sent to the host', () => {
    test('nothing earlier is known (none, or only the current one)', async () => {
      await expect(rollback.execute(OPERATOR, { appName: 'python-app' })).rejects.toThrow(
        /No earlier successful deploy of "python-app" is known to roll back to: .*knows none; nothing was sent to the host\./,
      );
      await deployGit();
      const before = started.length;
      await expect(rollback.execute(OPERATOR, { appName: 'python-app' })).rejects.toThrow(/knows only the current one/);
      await expect(rollback.execute(OPERATOR, { appName: 'python-app' })).rejects.toMatchObject({
        hint: expect.stringContaining('deploy_app(repo_url, git_ref = its commit or tag)'),
      });
      expect(started.length).toBe(before);
    });

    test('a git push: no remote to sync from', async () => {
      world.deploys.push('node-js-app');
      const [push] = world.host.buildRecord.of('node-js-app');
      await waitForEnd(world.store, await world.getDeployment.execute(OPERATOR, { deploymentId: `node-js-app.${push!.id}` }));
      const before = started.length;
      const refused = rollback.execute(OPERATOR, { appName: 'node-js-app', deploymentId: `node-js-app.${push!.id}` });
      await expect(refused).rejects.toThrow(Conflict);
      await expect(rollback.execute(OPERATOR, { appName: 'node-js-app', deploymentId: `node-js-app.${push!.id}` })).rejects.toMatchObject({
        message: expect.stringMatching(/was a git push to the host: it leaves no remote repository .* nothing was sent to the host\./),
        hint: expect.stringContaining('Push that commit again, or deploy it with deploy_app(repo_url, git_ref = the commit)'),
      });
      expect(started.length).toBe(before);
    });

    test('a deploy whose source was not recorded (before a restart), the current one, another app\'s, a malformed id', async () => {
      const d = await deployGit();
      await expect(rollback.execute(OPERATOR, { appName: 'python-app', deploymentId: 'python-app.zz0000000000zz' })).rejects.toThrow(
        /no exact source recorded for python-app\.zz0000000000zz: .*none from before a restart/,
      );
      await expect(rollback.execute(OPERATOR, { appName: 'python-app', deploymentId: d.id })).rejects.toThrow(/is what "python-app" runs now/);
      await expect(rollback.execute(OPERATOR, { appName: 'python-app', deploymentId: 'node-js-app.zz0000000000zz' })).rejects.toThrow(InvalidArgument);
      await expect(rollback.execute(OPERATOR, { appName: 'python-app', deploymentId: 'nope' })).rejects.toThrow(/deployment_id/);
      expect(started).toHaveLength(1);
    });
  });
});

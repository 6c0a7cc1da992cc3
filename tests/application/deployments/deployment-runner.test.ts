import { AppName } from '../../../src/domain/app-name.js';
import { EnvKey, EnvValue } from '../../../src/domain/dokku-values.js';
import type { DeployOperation, DeployOutcome, DokkuDeploys } from '../../../src/ports/dokku-deploys.port.js';
import { createWorld, type World } from '../../support/sandbox-world.js';
import { DeploymentRunner } from '../../../src/application/deployments/deployment-runner.js';
import { SequentialIdGenerator } from '../../support/sequential-id-generator.js';
import { waitForEnd } from '../../support/wait-for.js';

/**
 * Dokku output the sandbox does not produce, replayed through the real runner: a host that prints `lines` and
 * exits with `exitCode`. Everything else (store, clock, sanitizer, apps) is the real world of the other tests.
 */
class ScriptedDeploys implements DokkuDeploys {
  constructor(private readonly output: string[], private readonly outcome: DeployOutcome) {}
  async start(_op: DeployOperation, onOutput: (chunk: string) => void) {
    return {
      outcome: new Promise<DeployOutcome>((resolve) =>
        setImmediate(() => {
          for (const chunk of this.output) onOutput(chunk);
          resolve(this.outcome);
        }),
      ),
    };
  }
  async cancel(): Promise<void> {}
}

describe('DeploymentRunner with Dokku output the sandbox cannot produce', () => {
  let world: World;
  beforeEach(() => (world = createWorld()));
  afterEach(() => world.dispose());

  const runnerWith = (deploys: DokkuDeploys) =>
    new DeploymentRunner(world.apps, deploys, world.store, world.clock, new SequentialIdGenerator(), world.limits, world.appSecrets, world.logger, world.hostLink, world.checks, world.locks, world.lifecycle, world.containerChanges);
  const configSet = (): DeployOperation => ({
    kind: 'config_set',
    app: AppName.of('node-js-app'),
    vars: [[EnvKey.of('FEATURE'), EnvValue.of('enabled')]],
  });

  it('fails a config change whose restart failed although config:set exited 0', async () => {
    const deploys = new ScriptedDeploys(
      ['-----> Setting config vars\n', '       FEATURE:  enabled\n', '-----> Restarting app node-js-app\n', ' !     Failure while restarting app: container exited\n'],
      { type: 'exited', exitCode: 0 },
    );
    const deployment = await runnerWith(deploys).start({ operation: configSet(), kind: 'config_change' });
    await waitForEnd(world.store, deployment);
    expect(deployment.status).toBe('failed');
    expect(deployment.error).toBe('Failure while restarting app: container exited');
  });

  it('redacts a private key that arrives over several lines and chunks', async () => {
    const deploys = new ScriptedDeploys(
      ['-----> Writing key\n-----BEGIN RSA PRIVATE', ' KEY-----\nMIIEowIBAAKCAQEA7s3cr3tB0dy\nZm9vYmFyYmF6cXV4\n-----END RSA PRIVATE KEY-----\n', 'done\n'],
      { type: 'exited', exitCode: 0 },
    );
    const deployment = await runnerWith(deploys).start({ operation: configSet(), kind: 'config_change' });
    await waitForEnd(world.store, deployment);
    const log = (await world.logOf(deployment));
    expect(log).not.toContain('MIIEowIBAAKCAQEA7s3cr3tB0dy');
    expect(log).not.toContain('Zm9vYmFyYmF6cXV4');
    expect(log).toContain('-----> Writing key\n');
    expect(log).toContain('done\n');
  });

  it("redacts the app's existing config values from the build output, split across chunks (issue 14)", async () => {
    const app = AppName.of('node-js-app');
    await world.config.setWithoutRestart(app, [[EnvKey.of('STRIPE_WEBHOOK'), EnvValue.of('whsec_51Hx9Zq')], [EnvKey.of('APP_KEY'), EnvValue.of('k3y-4711')]]);
    const deploys = new ScriptedDeploys(
      ['-----> Running release command\n       registering hook whsec_5', '1Hx9Zq\n\x1b[1mAPP_', 'KEY\x1b[0m=k3y-4711\n', 'done\n'],
      { type: 'exited', exitCode: 0 },
    );
    const deployment = await runnerWith(deploys).start({ operation: { kind: 'rebuild', app }, kind: 'rebuild' });
    await waitForEnd(world.store, deployment);
    const log = (await world.logOf(deployment));
    expect(log).toContain('       registering hook [REDACTED]\n');
    expect(log).toContain('APP_KEY=[REDACTED]\n');
    expect(log).not.toMatch(/whsec_51Hx9Zq|k3y-4711/);
  });

  it('marks a deploy whose connection dropped as failed with an unknown outcome', async () => {
    const deploys = new ScriptedDeploys(['-----> Building\n'], { type: 'lost', reason: 'socket reset' });
    const deployment = await runnerWith(deploys).start({ operation: configSet(), kind: 'config_change' });
    await waitForEnd(world.store, deployment);
    expect(deployment.status).toBe('failed');
    expect(deployment.error).toMatch(/outcome unknown/);
    expect(deployment.error).toMatch(/socket reset/);
  });

  it('settles a deploy whose connection dropped as it ended on the host: a build recorded as succeeded succeeds', async () => {
    // The host finished the deploy just before the connection went: its record says so, and that is the outcome.
    const deploys: DokkuDeploys = {
      start: async (operation, onOutput) => {
        const record = world.host.buildRecord.start(operation.app.value, 'deploy', 'config-redeploy');
        return {
          outcome: new Promise<DeployOutcome>((resolve) => {
            setImmediate(() => onOutput('-----> Releasing node-js-app\n'));
            // Linked to its build first (a deploy that loses its connection before that is "outcome unknown").
            setTimeout(() => {
              onOutput('=====> Application deployed\n');
              world.host.buildRecord.finish(record, 'succeeded', 0);
              resolve({ type: 'lost', reason: 'socket reset' });
            }, 300);
          }),
        };
      },
      cancel: async () => undefined,
    };
    const deployment = await runnerWith(deploys).start({ operation: configSet(), kind: 'config_change' });
    await waitForEnd(world.store, deployment);
    expect(deployment).toMatchObject({ status: 'succeeded', exitCode: 0 });
    expect(deployment.hostBuildId).toEqual(expect.any(String));
    expect(await world.logOf(deployment)).toMatch(/\n\[dokku-mcp: the connection to the Dokku host was lost while this ran \(socket reset\); how it ended is read from the host's build record/);
  });

  it('a deploy whose connection drops before it is linked to its host build is never linked afterwards: a build then is another\'s', async () => {
    // Ours died with its channel before Dokku recorded it; a git push starts on the host at that moment.
    let push: { id: string } | undefined;
    const deploys: DokkuDeploys = {
      start: async (_operation, onOutput) => ({
        outcome: new Promise<DeployOutcome>((resolve) => {
          setImmediate(() => onOutput('-----> Cloning node-js-app\n'));
          setTimeout(() => {
            push = world.host.buildRecord.start('node-js-app', 'build', 'git-hook');
            resolve({ type: 'lost', reason: 'socket reset' });
          }, 50);
        }),
      }),
      cancel: async () => undefined,
    };
    const deployment = await runnerWith(deploys).start({ operation: configSet(), kind: 'config_change' });
    await waitForEnd(world.store, deployment);
    expect(deployment.error).toMatch(/outcome unknown \(socket reset\)/);
    await new Promise((done) => setTimeout(done, 1_500)); // the linker's last look, and its background looks
    expect(push).toBeDefined();
    expect(deployment.hostBuildId).toBeUndefined();
    expect(deployment.id).not.toContain(push!.id);
    world.host.buildRecord.finish(world.host.buildRecord.find('node-js-app', push!.id)!, 'succeeded', 0);
  });

  it('fails a deploy that timed out with the reason, and frees the app for the next deploy', async () => {
    const reason = 'the deploy did not finish within ssh.deploy_timeout_ms (1500 ms); it was canceled on the host (builds:cancel).';
    const runner = runnerWith(new ScriptedDeploys(['-----> Waiting\n'], { type: 'timed_out', reason }));
    const deployment = await runner.start({ operation: configSet(), kind: 'config_change' });
    await waitForEnd(world.store, deployment);
    expect(deployment.status).toBe('failed');
    expect(deployment.error).toBe(reason);
    const next = await runner.start({ operation: configSet(), kind: 'config_change' });
    expect(next.id).not.toBe(deployment.id);
  });
});

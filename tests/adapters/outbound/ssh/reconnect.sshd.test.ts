/** Connection loss, host down, timeouts: through a TCP relay in front of the real sshd. */
import type { SshDokkuAdapters } from '../../../../src/adapters/outbound/ssh/create-ssh-dokku-adapters.js';
import type { SshOptions } from '../../../../src/adapters/outbound/ssh/ssh-options.js';
import { AppName } from '../../../../src/domain/app-name.js';
import { HostUnreachable } from '../../../../src/domain/domain-errors.js';
import { GitUrl } from '../../../../src/domain/dokku-values.js';
import { waitUntil } from '../../../support/wait-for.js';
import { startSshd, type SshdFixture } from '../../../support/sshd-fixture.js';
import { sshAdapters, TcpRelay } from './ssh-test-support.js';

let fixture: SshdFixture;
let relay: TcpRelay;
const opened: SshDokkuAdapters[] = [];
const app = AppName.of('node-js-app');

function viaRelay(overrides: Partial<SshOptions> = {}): SshDokkuAdapters {
  const ssh = sshAdapters(fixture, { port: relay.port, connectTimeoutMs: 1500, ...overrides });
  opened.push(ssh);
  return ssh;
}
/** Polls until `condition` holds; the 20 s cap is only ever reached by a broken build, and then says what it waited for. */

beforeAll(async () => {
  fixture = await startSshd({ deployStepMs: 40 });
  relay = new TcpRelay(fixture.port);
  await relay.start();
});
afterAll(async () => {
  await Promise.all(opened.map((ssh) => ssh.connection.close()));
  await relay.stop();
  await fixture.stop();
});

describe('losing and regaining the connection', () => {
  it('connects lazily, on first use', async () => {
    const ssh = viaRelay();
    expect(ssh.connection.connectAttempts).toBe(0);
    await ssh.apps.list();
    expect(ssh.connection.connections).toBe(1);
  });

  it('reconnects on the next command after the connection drops, one attempt for all concurrent callers', async () => {
    const ssh = viaRelay();
    await ssh.apps.list();
    relay.dropAll();
    await waitUntil(() => !ssh.connection.connected, 'the client to notice the drop');
    const attempts = ssh.connection.connectAttempts;
    const results = await Promise.all(Array.from({ length: 10 }, () => ssh.apps.exists(app)));
    expect(results).toEqual(Array(10).fill(true));
    expect(ssh.connection.connections).toBe(2);
    expect(ssh.connection.connectAttempts).toBe(attempts + 1);
  });

  it('while the host is down, fails with HostUnreachable naming host:port; works again once it is back', async () => {
    const ssh = viaRelay();
    await ssh.apps.list();
    const port = relay.port;
    await relay.stop();
    const error = await ssh.apps.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostUnreachable);
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    expect((error as Error).message).toMatch(/connection refused/);
    expect((error as Error).message).not.toMatch(/\n\s+at /); // no stack in the message

    await relay.start(port);
    await expect(ssh.apps.list()).resolves.toContain('node-js-app');
    expect(ssh.connection.connections).toBe(2);
  });

  it('a call made while the host is down retries with growing waits and gets through once the host is back', async () => {
    // A connect timeout no machine reaches: the test waits for the retries it checks, not for a clock.
    const ssh = viaRelay({ connectTimeoutMs: 60_000 });
    await ssh.apps.list();
    const port = relay.port;
    await relay.stop();
    const before = ssh.connection.connectAttempts;
    const startedAt = Date.now();
    const pending = ssh.apps.list();
    try {
      await waitUntil(() => ssh.connection.connectAttempts >= before + 3, 'three connect attempts');
    } finally {
      await relay.start(port);
    }
    // Not a tight loop: the first two retries each waited (100 ms, then 200 ms) before trying again.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(250);
    await expect(pending).resolves.toContain('node-js-app');
    expect(ssh.connection.connections).toBe(2);
  });

  it('a deploy whose connection drops ends as lost, not as a crash', async () => {
    const ssh = viaRelay();
    let output = '';
    const run = await ssh.deploys.start(
      { kind: 'deploy', app, repoUrl: GitUrl.of('https://github.com/org/repo.git') },
      (chunk) => (output += chunk),
    );
    await waitUntil(() => output.includes('-----> Building'), 'the build to start');
    relay.dropAll();
    await expect(run.outcome).resolves.toEqual({ type: 'lost', reason: 'the SSH connection was lost' });
    expect(output).not.toContain('Application deployed');
    await waitUntil(() => ssh.connection.channelsInUse === 0, 'the slot to be released');
    await expect(ssh.apps.exists(app)).resolves.toBe(true);
  });

  it('a deploy that outlives deployTimeoutMs is canceled on the host and ends as timed out', async () => {
    const ssh = viaRelay({ deployTimeoutMs: 300 });
    fixture.clearArgvLog();
    const run = await ssh.deploys.start({ kind: 'rebuild', app }, () => undefined);
    await expect(run.outcome).resolves.toEqual({
      type: 'timed_out',
      reason: 'the deploy did not finish within ssh.deploy_timeout_ms (300 ms); it was canceled on the host (builds:cancel). Check get_app_status before deploying again.',
    });
    expect(fixture.argvLog()).toContainEqual(['builds:cancel', 'node-js-app']);
  });

  it('a command that gets no answer times out with HostUnreachable; keepalive then drops the dead connection', async () => {
    const ssh = viaRelay({ commandTimeoutMs: 300, keepaliveIntervalMs: 100 });
    await ssh.apps.list();
    relay.blackhole(true);
    try {
      await expect(ssh.apps.list()).rejects.toThrow(/no complete answer within 300 ms/);
      await waitUntil(() => !ssh.connection.connected, 'keepalive to give up on the silent connection');
    } finally {
      relay.blackhole(false);
    }
    await expect(ssh.apps.list()).resolves.toContain('node-js-app');
  });

  it('keeps the exit status when the whole answer arrives in one TCP read', async () => {
    const ssh = viaRelay();
    await ssh.apps.list();
    relay.batchServerOutput(400); // channel confirmation, output, exit status and close all arrive together
    try {
      for (let i = 0; i < 3; i++) await expect(ssh.connection.exec('version')).resolves.toMatchObject({ code: 0 });
      const follower = await ssh.deploys.start({ kind: 'restart', app: AppName.of('python-app') }, () => undefined);
      await expect(follower.outcome).resolves.toEqual({ type: 'exited', exitCode: 0 });
    } finally {
      relay.batchServerOutput(0);
    }
  });

  it('close() ends open streams and refuses later commands', async () => {
    const ssh = viaRelay();
    const follower = await ssh.logs.follow(app, { num: 0 }, () => undefined);
    await ssh.connection.close();
    await expect(follower.ended).resolves.toEqual({ type: 'closed' });
    await expect(ssh.apps.list()).rejects.toThrow(/closed/);
  });
});

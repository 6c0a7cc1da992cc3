import fs from 'node:fs';
import type { SshDokkuAdapters } from '../../../../src/adapters/outbound/ssh/create-ssh-dokku-adapters.js';
import type { StreamHandle } from '../../../../src/adapters/outbound/ssh/ssh-connection.js';
import { AppName } from '../../../../src/domain/app-name.js';
import { LimitExceeded } from '../../../../src/domain/domain-errors.js';
import { waitUntil } from '../../../support/wait-for.js';
import { startSshd, type SshdFixture } from '../../../support/sshd-fixture.js';
import { sshAdapters } from './ssh-test-support.js';

let fixture: SshdFixture;
let ssh: SshDokkuAdapters;
const MAX = 8;
const app = AppName.of('node-js-app');

beforeAll(async () => {
  // Followers print their backlog at once, then a line every 20 s: only a hang-up (pty) can end one sooner.
  fixture = await startSshd({ deployStepMs: 20, logIntervalMs: 20_000 });
  ssh = sshAdapters(fixture, { maxChannels: MAX });
});
afterAll(async () => {
  await ssh.connection.close();
  await fixture.stop();
});


describe('one connection, channels capped', () => {
  it('runs 50 concurrent commands on one connection without exceeding maxChannels', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? ssh.apps.exists(app) : ssh.apps.list())));
    expect(results.filter((r) => r === true)).toHaveLength(25);
    expect(results.filter((r) => Array.isArray(r) && r.includes('node-js-app'))).toHaveLength(25);
    expect(ssh.connection.maxChannelsSeen).toBeLessThanOrEqual(MAX);
    expect(ssh.connection.maxChannelsSeen).toBeGreaterThan(1); // they really ran side by side
    expect(ssh.connection.connections).toBe(1);
    expect(ssh.connection.channelsInUse).toBe(0);
  });

  it('leaves two slots to short commands while long-lived followers hold the rest', async () => {
    const followers: StreamHandle[] = [];
    const received: string[] = Array.from({ length: MAX - 2 }, () => '');
    try {
      for (let i = 0; i < MAX - 2; i++) followers.push(await ssh.logs.follow(app, (chunk) => (received[i] += chunk)));
      expect(ssh.connection.longLivedChannelsInUse).toBe(MAX - 2);
      await waitUntil(() => received.every((text) => text.includes('\n')), 'every follower to receive log lines');
      // A pty merges streams and ends lines in CRLF.
      expect(received[0]).toMatch(/app\[web\.1\]:.*\r\n/);

      const shorts = await Promise.all(Array.from({ length: 12 }, () => ssh.apps.exists(app)));
      expect(shorts).toEqual(Array(12).fill(true));
      expect(ssh.connection.maxChannelsSeen).toBeLessThanOrEqual(MAX);

      await expect(ssh.logs.follow(app, () => undefined)).rejects.toBeInstanceOf(LimitExceeded);
      await expect(
        ssh.deploys.start({ kind: 'restart', app }, () => undefined),
      ).rejects.toThrow(/long-lived SSH channels/);
    } finally {
      followers.forEach((f) => f.close());
    }
    const ends = await Promise.all(followers.map((f) => f.done));
    expect(ends).toEqual(Array(MAX - 2).fill({ type: 'closed' }));
    await waitUntil(() => ssh.connection.channelsInUse === 0, 'the channels to close');
    expect(ssh.connection.longLivedChannelsInUse).toBe(0);
  });

  it('a closed follower (pty) stops its remote process', async () => {
    fixture.seed({ apps: { 'hup-app': { deployed: true, running: true, scale: { web: 1 } } } });
    let text = '';
    const follower = await ssh.logs.follow(AppName.of('hup-app'), (chunk) => (text += chunk));
    await waitUntil(() => text.includes('\n'), 'log lines');
    const remote = () => countProcesses(/dokku-standin\.mjs logs hup-app --tail/);
    expect(remote()).toBeGreaterThan(0);
    follower.close();
    await follower.done;
    await waitUntil(() => remote() === 0, 'the remote follower to exit after SIGHUP', 3000);
  });
});

/** Processes whose command line matches, from /proc (the stand-in runs as this user on this machine). */
function countProcesses(pattern: RegExp): number {
  let count = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (pattern.test(fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' '))) count++;
    } catch {
      // exited meanwhile
    }
  }
  return count;
}

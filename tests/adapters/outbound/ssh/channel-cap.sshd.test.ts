import fs from 'node:fs';
import type { SshDokkuAdapters } from '../../../../src/adapters/outbound/ssh/create-ssh-dokku-adapters.js';
import { AppName } from '../../../../src/domain/app-name.js';
import { LimitExceeded } from '../../../../src/domain/domain-errors.js';
import type { LogFollow } from '../../../../src/ports/dokku-logs.port.js';
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

  it('leaves two slots to short commands and one long-lived slot to a deploy while followers hold the rest', async () => {
    const followers: LogFollow[] = [];
    const received: string[] = Array.from({ length: MAX - 3 }, () => '');
    try {
      for (let i = 0; i < MAX - 3; i++) followers.push(await ssh.logs.follow(app, { num: 1 }, (chunk) => (received[i] += chunk)));
      expect(ssh.connection.longLivedChannelsInUse).toBe(MAX - 3);
      await waitUntil(() => received.every((text) => text.includes('\n')), 'every follower to receive log lines');
      // A pty merges streams and ends lines in CRLF.
      expect(received[0]).toMatch(/app\[web\.1\]:.*\r\n/);

      const shorts = await Promise.all(Array.from({ length: 12 }, () => ssh.apps.exists(app)));
      expect(shorts).toEqual(Array(12).fill(true));
      expect(ssh.connection.maxChannelsSeen).toBeLessThanOrEqual(MAX);

      // No follower may take the last long-lived slot: a deploy still can.
      await expect(ssh.logs.follow(app, { num: 0 }, () => undefined)).rejects.toThrow(/kept for a deploy \(ssh\.max_channels = 8\)/);
      const restart = await ssh.deploys.start({ kind: 'restart', app: AppName.of('python-app') }, () => undefined);
      expect(ssh.connection.longLivedChannelsInUse).toBe(MAX - 2);
      await expect(ssh.deploys.start({ kind: 'restart', app }, () => undefined)).rejects.toThrow(/long-lived SSH channels/);
      await expect(ssh.logs.follow(app, { num: 0 }, () => undefined)).rejects.toBeInstanceOf(LimitExceeded);
      await restart.outcome;
    } finally {
      followers.forEach((f) => f.close());
    }
    const ends = await Promise.all(followers.map((f) => f.ended));
    expect(ends).toEqual(Array(MAX - 3).fill({ type: 'closed' }));
    await waitUntil(() => ssh.connection.channelsInUse === 0, 'the channels to close');
    expect(ssh.connection.longLivedChannelsInUse).toBe(0);
  });

  it('a closed follower (pty) stops its remote process', async () => {
    fixture.seed({ apps: { 'hup-app': { deployed: true, running: true, scale: { web: 1 } } } });
    let text = '';
    const follower = await ssh.logs.follow(AppName.of('hup-app'), { num: 1 }, (chunk) => (text += chunk));
    await waitUntil(() => text.includes('\n'), 'log lines');
    const remote = () => countProcesses(/dokku-standin\.mjs logs hup-app --tail/);
    expect(remote()).toBeGreaterThan(0);
    follower.close();
    await follower.ended;
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

import { afterEach, describe, expect, it } from '@jest/globals';
import { AccessPolicy } from '../../../src/application/access/access-policy.js';
import { AppSecrets } from '../../../src/application/config/app-secrets.js';
import { ContainerChanges } from '../../../src/application/logs/container-changes.js';
import { GetRuntimeLogs } from '../../../src/application/logs/get-runtime-logs.use-case.js';
import { RuntimeLogHub, type RuntimeLogSubscription } from '../../../src/application/logs/runtime-log-hub.js';
import { SubscribeRuntimeLogs } from '../../../src/application/logs/subscribe-runtime-logs.use-case.js';
import { SandboxDokkuApps } from '../../../src/adapters/outbound/sandbox/sandbox-dokku-apps.adapter.js';
import { SandboxDokkuConfig } from '../../../src/adapters/outbound/sandbox/sandbox-dokku-config.adapter.js';
import { SandboxDokkuHost } from '../../../src/adapters/outbound/sandbox/sandbox-dokku-host.js';
import type { AppName } from '../../../src/domain/app-name.js';
import { unrestrictedCaller } from '../../../src/domain/caller.js';
import { InvalidArgument } from '../../../src/domain/domain-errors.js';
import { Sanitizer } from '../../../src/domain/sanitizer.js';
import { Tenancy } from '../../../src/domain/tenancy.js';
import type { RecentLogsQuery } from '../../../src/ports/dokku-logs.port.js';
import { ControlledDokkuLogs } from '../../support/controlled-dokku-logs.js';
import { FakeClock } from '../../support/fake-clock.js';
import { RecordingLogger } from '../../support/recording-logger.js';
import { TEST_LIMITS } from '../../support/sandbox-world.js';

/** Dokku's line for container `proc` at second `s` of the test's minute (nanosecond stamps, as Docker's). */
const stamp = (s: number) => `2026-05-01T10:00:${String(s).padStart(2, '0')}.000000001Z`;
const raw = (s: number, proc = 'web.1', message = `line ${s}`) => `\x1b[36m${stamp(s)} app[${proc}]:\x1b[0m ${message}`;

/** DokkuLogs whose poll the test answers, and may print to the running follow meanwhile (lines written during the poll). */
class PolledLogs extends ControlledDokkuLogs {
  polls: RecentLogsQuery[] = [];
  /** What happened, in order: `first line` (a follow's remote end attached and printed), `poll`. */
  readonly events: string[] = [];
  answer: (query: RecentLogsQuery) => string[] = () => [];
  override async recent(_app: AppName, query: RecentLogsQuery): Promise<string[]> {
    this.polls.push(query);
    this.events.push('poll');
    return this.answer(query);
  }
  override async follow(...args: Parameters<ControlledDokkuLogs['follow']>) {
    const follow = await super.follow(...args);
    // Dokku's `logs --tail` attaches a moment after the channel opened: its first line comes later.
    setTimeout(() => {
      this.events.push('first line');
      this.last.write(`${raw(0)}\r\n`);
    }, 20);
    return follow;
  }
}

function world() {
  const host = new SandboxDokkuHost({ seed: [{ name: 'shop', deployed: true, config: { DATABASE_URL: 'postgres://shop:sh0p-s3cret@db:5432/shop' } }] });
  const logs = new PolledLogs();
  const limits = { ...TEST_LIMITS, streamBufferSize: 10, runtimeMaxLines: 50 };
  const secrets = new AppSecrets(new SandboxDokkuConfig(host), new Sanitizer(), new FakeClock(), new RecordingLogger());
  const hub = new RuntimeLogHub(logs, new SandboxDokkuApps(host), secrets, limits, new RecordingLogger(), new ContainerChanges());
  const access = new AccessPolicy(new Tenancy());
  const subscribe = new SubscribeRuntimeLogs(hub, access, limits, new GetRuntimeLogs(logs, limits, secrets, access, hub));
  const join = (backlog: number, processType?: string) => subscribe.execute(unrestrictedCaller('http', `s-${Math.random()}`), { appName: 'shop', backlog, processType });
  return { host, logs, hub, join };
}
type World = ReturnType<typeof world>;
const messages = (sub: RuntimeLogSubscription) => sub.read().map((e) => (e.item.type === 'line' ? e.item.line.message : `<${e.item.type}>`));

describe('SubscribeRuntimeLogs with a backlog', () => {
  let w: World;
  afterEach(() => {
    w.hub.dispose();
    w.host.dispose();
  });

  it('the buffer holds fewer lines than asked: `logs --num N` read after joining, sanitized; lines written meanwhile come once', async () => {
    w = world();
    w.logs.answer = () => {
      // The follower is running already (joined first): the lines written while the poll runs reach it too.
      w.logs.last.write(`${raw(4)}\r\n${raw(5, 'worker.1')}\r\n`);
      return [raw(0), raw(1), raw(2, 'worker.1', 'Connecting to postgres://shop:sh0p-s3cret@db:5432/shop'), raw(3), raw(4), raw(5, 'worker.1')];
    };
    const sub = await w.join(6);
    expect(w.logs.polls).toEqual([{ linesPerContainer: 6, processType: undefined }]);
    // The poll waited for the new follow's first line: what came before that line is the poll's to show.
    expect(w.logs.events).toEqual(['first line', 'poll']);
    w.logs.last.write(`${raw(5)}\r\n${raw(6, 'worker.1')}\r\n${raw(7)}\r\n`); // live: web.1 at 5 is a line of its own
    const events = sub.read();
    expect(events.map((e) => (e.item.type === 'line' ? `${e.item.line.process} ${e.item.line.message}` : e.item.type))).toEqual([
      'web.1 line 0', 'web.1 line 1', 'worker.1 Connecting to postgres://shop:[REDACTED]@db:5432/shop', 'web.1 line 3', 'web.1 line 4', 'worker.1 line 5',
      'web.1 line 5', 'worker.1 line 6', 'web.1 line 7',
    ]);
    // The backlog's ids resume right after the join: a reconnect with one of them gets the live lines, once each.
    expect(new Set(events.slice(0, 6).map((e) => e.id)).size).toBe(1);
    expect(Number(events[0]!.id.split('-')[1])).toBeLessThan(Number(events.at(-1)!.id.split('-')[1]));
  });

  it('the buffer holds enough: no poll, the newest buffered lines of the process asked for', async () => {
    w = world();
    const first = await w.join(0);
    w.logs.last.write([1, 2, 3, 4].map((s) => raw(s, s % 2 ? 'web.1' : 'worker.1')).join('\r\n') + '\r\n');
    const sub = await w.join(2, 'web');
    expect(w.logs.polls).toEqual([]);
    expect(messages(sub)).toEqual(['line 1', 'line 3']);
    first.close();
  });

  it('more than the buffer holds (logs.runtime.stream_buffer_size 10): the host answers, with the process filter', async () => {
    w = world();
    w.logs.answer = () => Array.from({ length: 20 }, (_, i) => raw(i, 'worker.1'));
    const sub = await w.join(20, 'worker');
    expect(w.logs.events).toEqual(['first line', 'poll']);
    expect(w.logs.polls).toEqual([{ linesPerContainer: 20, processType: expect.objectContaining({ value: 'worker' }) }]);
    expect(messages(sub)).toHaveLength(20); // web.1's first line is not of the process asked for
  });

  it('over logs.runtime.max_lines: InvalidArgument naming the limit, and nothing is followed', async () => {
    w = world();
    const attempt = w.join(51);
    await expect(attempt).rejects.toThrow(InvalidArgument);
    await expect(attempt).rejects.toThrow('logs.runtime.max_lines = 50');
    expect(w.logs.follows).toHaveLength(0);
  });

  it('a poll that fails leaves the stream it joined', async () => {
    w = world();
    w.logs.answer = () => {
      throw new Error('boom');
    };
    await expect(w.join(5)).rejects.toThrow('boom');
    expect(w.hub.stats().subscriptions).toBe(0);
  });
});

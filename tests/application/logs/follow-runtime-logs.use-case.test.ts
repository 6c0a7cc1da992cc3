import { AccessPolicy } from '../../../src/application/access/access-policy.js';
import { AppSecrets } from '../../../src/application/config/app-secrets.js';
import { ContainerChanges } from '../../../src/application/logs/container-changes.js';
import { FollowRuntimeLogs } from '../../../src/application/logs/follow-runtime-logs.use-case.js';
import { RuntimeLogHub } from '../../../src/application/logs/runtime-log-hub.js';
import { GetRuntimeLogs } from '../../../src/application/logs/get-runtime-logs.use-case.js';
import { SubscribeRuntimeLogs } from '../../../src/application/logs/subscribe-runtime-logs.use-case.js';
import { SandboxDokkuApps } from '../../../src/adapters/outbound/sandbox/sandbox-dokku-apps.adapter.js';
import { SandboxDokkuConfig } from '../../../src/adapters/outbound/sandbox/sandbox-dokku-config.adapter.js';
import { SandboxDokkuHost } from '../../../src/adapters/outbound/sandbox/sandbox-dokku-host.js';
import { InvalidArgument, LimitExceeded } from '../../../src/domain/domain-errors.js';
import type { RuntimeLogItem } from '../../../src/domain/runtime-log-item.js';
import { Sanitizer } from '../../../src/domain/sanitizer.js';
import { Tenancy } from '../../../src/domain/tenancy.js';
import { ControlledDokkuLogs } from '../../support/controlled-dokku-logs.js';
import { FakeClock } from '../../support/fake-clock.js';
import { RecordingLogger } from '../../support/recording-logger.js';
import { OPERATOR, TEST_LIMITS } from '../../support/sandbox-world.js';
import { waitUntil } from '../../support/wait-for.js';

describe('FollowRuntimeLogs', () => {
  const host = new SandboxDokkuHost({ seed: [{ name: 'shop', deployed: true }] });
  let logs: ControlledDokkuLogs;
  let hub: RuntimeLogHub;
  let follow: FollowRuntimeLogs;
  beforeEach(() => {
    logs = new ControlledDokkuLogs();
    const limits = { ...TEST_LIMITS, runtimeMaxLines: 50, streamLingerMs: 10_000 };
    const secrets = new AppSecrets(new SandboxDokkuConfig(host), new Sanitizer(), new FakeClock(), new RecordingLogger());
    hub = new RuntimeLogHub(logs, new SandboxDokkuApps(host), secrets, limits, new RecordingLogger(), new ContainerChanges());
    const access = new AccessPolicy(new Tenancy());
    follow = new FollowRuntimeLogs(new SubscribeRuntimeLogs(hub, access, limits, new GetRuntimeLogs(logs, limits, secrets, access, hub)), limits);
  });
  afterEach(() => hub.dispose());
  afterAll(() => host.dispose());
  const printWhenFollowed = (count: number, from = 0) =>
    waitUntil(() => logs.follows.length > 0, 'the follower').then(() => {
      for (let i = from; i < from + count; i++) logs.last.print({ message: `line ${i}` });
    });

  it('hands over batches as they arrive with the lines so far, and ends at max_lines (the rest left out)', async () => {
    const batches: Array<{ lines: number; items: readonly RuntimeLogItem[] }> = [];
    const running = follow.execute(OPERATOR, { appName: 'shop', maxLines: 5, onBatch: (items, lines) => void batches.push({ items, lines }) });
    for (let i = 0; i < 3; i++) {
      await printWhenFollowed(1, i);
      await waitUntil(() => batches.length === i + 1, `batch ${i + 1}`);
    }
    await printWhenFollowed(4, 3); // in one chunk: one batch, cut at max_lines
    const result = await running;
    expect(result).toMatchObject({ appName: 'shop', lineCount: 5, truncated: true, endedBy: 'max_lines' });
    expect(batches.map((b) => b.lines)).toEqual([1, 2, 3, 5]);
    expect(result.items.map((i) => (i.type === 'line' ? i.line.message : i.type))).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
    expect(hub.stats().subscriptions).toBe(0); // left the stream
  });

  it('ends after `seconds`, not truncated', async () => {
    const result = await follow.execute(OPERATOR, { appName: 'shop', seconds: 0.2 });
    expect(result).toMatchObject({ lineCount: 0, truncated: false, endedBy: 'seconds' });
  });

  it('honours cancellation at once, leaving the stream (the follower lingers on)', async () => {
    const controller = new AbortController();
    const running = follow.execute(OPERATOR, { appName: 'shop', seconds: 50, signal: controller.signal });
    await waitUntil(() => hub.stats().subscriptions === 1, 'the subscription');
    controller.abort();
    await expect(running).resolves.toMatchObject({ endedBy: 'cancelled' });
    expect(hub.stats()).toEqual({ followedApps: ['shop'], subscriptions: 0 });
  });

  it('ends with the stream (app gone), the end marker included', async () => {
    const running = follow.execute(OPERATOR, { appName: 'shop', seconds: 50 });
    await waitUntil(() => logs.follows.length > 0, 'the follower');
    logs.last.exit(20, 'App shop does not exist');
    const result = await running;
    expect(result.endedBy).toBe('end');
    expect(result.items).toEqual([{ type: 'end', reason: 'the app shop no longer exists' }]);
  });

  it('refuses seconds over 50 and max_lines over logs.runtime.max_lines, naming the limit', async () => {
    await expect(follow.execute(OPERATOR, { appName: 'shop', seconds: 51 })).rejects.toBeInstanceOf(InvalidArgument);
    await expect(follow.execute(OPERATOR, { appName: 'shop', maxLines: 51 })).rejects.toThrow(LimitExceeded);
    await expect(follow.execute(OPERATOR, { appName: 'shop', maxLines: 51 })).rejects.toThrow('logs.runtime.max_lines = 50');
    expect(logs.follows).toHaveLength(0);
  });
});

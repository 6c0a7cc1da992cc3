import { SandboxDokkuApps } from '../../../../src/adapters/outbound/sandbox/sandbox-dokku-apps.adapter.js';
import { SandboxDokkuHost } from '../../../../src/adapters/outbound/sandbox/sandbox-dokku-host.js';
import { SandboxDokkuLogs } from '../../../../src/adapters/outbound/sandbox/sandbox-dokku-logs.adapter.js';
import { DEFAULT_SANDBOX_SEED, WORKER_APP_SEED } from '../../../../src/adapters/outbound/sandbox/sandbox-seed.js';
import { AppName } from '../../../../src/domain/app-name.js';
import { ProcessType } from '../../../../src/domain/dokku-values.js';
import { HostUnreachable } from '../../../../src/domain/domain-errors.js';
import { LogLine } from '../../../../src/domain/log-line.js';
import { FakeClock } from '../../../support/fake-clock.js';

const worker = AppName.of('worker-app');
const node = AppName.of('node-js-app');

describe('SandboxDokkuLogs', () => {
  let clock: FakeClock;
  let host: SandboxDokkuHost;
  let logs: SandboxDokkuLogs;

  beforeEach(() => {
    clock = new FakeClock();
    host = new SandboxDokkuHost({ clock: clock.epochMs, seed: [...DEFAULT_SANDBOX_SEED, WORKER_APP_SEED] });
    logs = new SandboxDokkuLogs(host);
  });

  test('N lines per container, containers concatenated, colours cycling by position', async () => {
    const lines = await logs.recent(worker, { linesPerContainer: 4 });
    expect(lines).toHaveLength(12);
    const processes = lines.map((line) => LogLine.parse(line).process);
    expect(processes).toEqual([...Array(4).fill('web.1'), ...Array(4).fill('worker.1'), ...Array(4).fill('worker.2')]);
    expect(lines.map((line) => line.slice(0, 5))).toEqual([...Array(4).fill('\x1b[36m'), ...Array(4).fill('\x1b[33m'), ...Array(4).fill('\x1b[32m')]);
  });

  test('a process filter lists only that type, colours starting over', async () => {
    const lines = await logs.recent(worker, { linesPerContainer: 2, processType: ProcessType.of('worker') });
    expect(lines.map((line) => LogLine.parse(line).process)).toEqual(['worker.1', 'worker.1', 'worker.2', 'worker.2']);
    expect(lines[0]!.startsWith('\x1b[36m')).toBe(true);
    expect(await logs.recent(worker, { linesPerContainer: 2, processType: ProcessType.of('clock') })).toEqual([]);
  });

  test('the same moment gives the same lines; later, old lines keep their text and new ones follow', async () => {
    const before = await logs.recent(node, { linesPerContainer: 50 });
    expect(await logs.recent(node, { linesPerContainer: 50 })).toEqual(before);
    clock.advance(30_000);
    const after = await logs.recent(node, { linesPerContainer: 50 });
    const overlap = after.indexOf(before[before.length - 1]!);
    expect(overlap).toBeGreaterThan(0);
    expect(after.slice(0, overlap + 1)).toEqual(before.slice(before.length - overlap - 1));
  });

  test('a stopped app\'s logs stay readable but stop growing', async () => {
    await new SandboxDokkuApps(host).stop(node);
    const stopped = await logs.recent(node, { linesPerContainer: 5 });
    clock.advance(60_000);
    expect(await logs.recent(node, { linesPerContainer: 5 })).toEqual(stopped);
  });

  test('a freshly started container shows its startup lines first', async () => {
    host.syncContainers(host.app('node-js-app'));
    expect(await logs.recent(node, { linesPerContainer: 10 })).toHaveLength(1); // only what was written by now
    clock.advance(20);
    const lines = (await logs.recent(node, { linesPerContainer: 10 })).map((line) => LogLine.parse(line).message);
    expect(lines).toEqual([
      '> node-js-getting-started@0.3.0 start',
      '> node index.js',
      'Connecting to postgres://app:s3cr3tpw@dokku-postgres-db:5432/app',
      'Listening on 5000',
    ]);
  });

  test('failedDeploy before any failure says Dokku found none', async () => {
    expect(await logs.failedDeploy(node)).toBe(' !     No failed containers found\n');
  });

  test('an unreachable host is HostUnreachable', async () => {
    host.simulateOutage('socket hang up');
    await expect(logs.recent(node, { linesPerContainer: 1 })).rejects.toBeInstanceOf(HostUnreachable);
    await expect(new SandboxDokkuApps(host).list()).rejects.toThrow('socket hang up');
  });
});

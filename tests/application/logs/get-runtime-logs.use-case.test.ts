import { GetRuntimeLogs } from '../../../src/application/logs/get-runtime-logs.use-case.js';
import { AppName } from '../../../src/domain/app-name.js';
import { AppNotFound, InvalidArgument, LimitExceeded, NotDeployed } from '../../../src/domain/domain-errors.js';
import { compareLogLines, LogLine } from '../../../src/domain/log-line.js';
import { SandboxAppSeedMother } from '../../support/mothers/sandbox-app-seed.mother.js';
import { createWorld, type World, OPEN_ACCESS, OPERATOR } from '../../support/sandbox-world.js';

describe('GetRuntimeLogs', () => {
  let world: World;
  let getLogs: GetRuntimeLogs;

  beforeEach(() => {
    world = createWorld({
      seed: [...SandboxAppSeedMother.defaults(), SandboxAppSeedMother.twoWebContainers('two-web-app'), SandboxAppSeedMother.withWorkers('queue-app')],
    });
    getLogs = new GetRuntimeLogs(world.logs, world.limits, world.appSecrets, OPEN_ACCESS, world.hub);
  });
  afterEach(() => world.dispose());

  test('returns the configured default number of lines when none are asked for', async () => {
    const result = await getLogs.execute(OPERATOR, { appName: 'two-web-app' });
    expect(result.requestedLines).toBe(world.limits.runtimeDefaultLines);
    expect(result.entries).toHaveLength(world.limits.runtimeDefaultLines);
  });

  test('across two containers: exactly the newest N lines overall, in time order', async () => {
    const result = await getLogs.execute(OPERATOR, { appName: 'two-web-app', lines: 10 });
    expect(result.entries).toHaveLength(10);
    const times = result.entries.map((e) => e.timestamp as string);
    expect(times).toEqual([...times].sort());
    expect(new Set(result.entries.map((e) => e.process))).toEqual(new Set(['web.1', 'web.2']));

    // The same as taking every container's last 10 lines and keeping the newest 10.
    const raw = await world.logs.recent(AppName.of('two-web-app'), { linesPerContainer: 10 });
    expect(raw).toHaveLength(20);
    const newest = raw.map((line) => LogLine.parse(line)).sort(compareLogLines).slice(-10);
    expect(result.entries.map((e) => e.timestamp)).toEqual(newest.map((e) => e.timestamp));
  });

  test('entries carry timestamp, process and message, with the ANSI colours removed', async () => {
    const [entry] = (await getLogs.execute(OPERATOR, { appName: 'node-js-app', lines: 1 })).entries;
    expect(entry).toEqual({ timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/), process: 'web.1', message: expect.any(String) });
    expect(entry!.message).not.toContain('\x1b');
  });

  test('secrets in log lines are redacted', async () => {
    const result = await getLogs.execute(OPERATOR, { appName: 'node-js-app', lines: 200 });
    const messages = result.entries.map((e) => e.message);
    expect(messages).toContain('Connecting to postgres://app:[REDACTED]@dokku-postgres-db:5432/app');
    expect(messages.join('\n')).not.toContain('s3cr3tpw');
  });

  test('new lines appear as time passes', async () => {
    const before = await getLogs.execute(OPERATOR, { appName: 'node-js-app', lines: 5 });
    world.clock.advance(60_000);
    const after = await getLogs.execute(OPERATOR, { appName: 'node-js-app', lines: 5 });
    expect(after.entries[4]!.timestamp! > before.entries[4]!.timestamp!).toBe(true);
  });

  test('keeps to one process type when asked', async () => {
    const result = await getLogs.execute(OPERATOR, { appName: 'queue-app', lines: 30, processType: 'worker' });
    expect(result.entries).toHaveLength(30);
    expect(new Set(result.entries.map((e) => e.process))).toEqual(new Set(['worker.1', 'worker.2']));
  });

  test(`more than the maximum is LimitExceeded, naming the maximum`, async () => {
    const attempt = getLogs.execute(OPERATOR, { appName: 'node-js-app', lines: world.limits.runtimeMaxLines + 1 });
    await expect(attempt).rejects.toBeInstanceOf(LimitExceeded);
    await expect(attempt).rejects.toThrow(/max_lines = 1000/);
    expect((await getLogs.execute(OPERATOR, { appName: 'two-web-app', lines: world.limits.runtimeMaxLines })).entries).toHaveLength(1000);
  });

  test.each([0, -5, 2.5, Number.NaN])('lines=%p is InvalidArgument', async (lines) => {
    await expect(getLogs.execute(OPERATOR, { appName: 'node-js-app', lines })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'lines' });
  });

  test('a bad process type is InvalidArgument', async () => {
    await expect(getLogs.execute(OPERATOR, { appName: 'node-js-app', processType: 'web.1' })).rejects.toBeInstanceOf(InvalidArgument);
  });

  test('an app never deployed is NotDeployed; a missing one AppNotFound', async () => {
    await expect(getLogs.execute(OPERATOR, { appName: 'python-app' })).rejects.toBeInstanceOf(NotDeployed);
    await expect(getLogs.execute(OPERATOR, { appName: 'no-such-app' })).rejects.toBeInstanceOf(AppNotFound);
  });
});

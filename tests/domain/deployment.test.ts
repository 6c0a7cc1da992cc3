import { AppName } from '../../src/domain/app-name.js';
import { Deployment, IllegalTransition } from '../../src/domain/deployment.js';

const T0 = new Date('2026-04-30T13:50:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const newDeployment = (id = 'deploy_0000000001ab') =>
  new Deployment({ id, app: AppName.of('node-js-app'), kind: 'deploy', source: { type: 'none' }, createdAt: T0 });

describe('Deployment', () => {
  test('ids are "deploy_" plus 10 to 40 lowercase base36 characters', () => {
    expect(Deployment.newId('01j8c4xv7bk5w3')).toBe('deploy_01j8c4xv7bk5w3');
    expect(Deployment.isId('deploy_01j8c4xv7bk5w3')).toBe(true);
    for (const bad of ['deploy_short', 'deploy_UPPERCASE123', 'build_01j8c4xv7bk5w3', 'deploy_01j8c4xv7b/..', '']) {
      expect(Deployment.isId(bad)).toBe(false);
    }
    expect(() => newDeployment('deploy_x')).toThrow(RangeError);
  });

  test('starts pending and active, with no times or outcome', () => {
    const d = newDeployment();
    expect(d.status).toBe('pending');
    expect(d.isActive).toBe(true);
    expect(d.startedAt).toBeUndefined();
    expect(d.durationMs).toBeUndefined();
  });

  test('pending → running → succeeded records times and exit code', () => {
    const d = newDeployment();
    d.start(at(1));
    expect(d.status).toBe('running');
    expect(d.isActive).toBe(true);
    d.succeed(at(31));
    expect(d.status).toBe('succeeded');
    expect(d.isActive).toBe(false);
    expect(d.exitCode).toBe(0);
    expect(d.finishedAt).toEqual(at(31));
    expect(d.durationMs).toBe(30_000);
  });

  test('running → failed keeps the error and exit code', () => {
    const d = newDeployment();
    d.start(at(0));
    d.fail(at(5), 'App build failed', 1);
    expect(d.status).toBe('failed');
    expect(d.error).toBe('App build failed');
    expect(d.exitCode).toBe(1);
  });

  test('pending → failed (it never started) counts its start as its end', () => {
    const d = newDeployment();
    d.fail(at(2), 'Cannot reach the Dokku host');
    expect(d.status).toBe('failed');
    expect(d.startedAt).toEqual(at(2));
    expect(d.durationMs).toBe(0);
    expect(d.exitCode).toBeUndefined();
  });

  test('running → canceled says it was on request', () => {
    const d = newDeployment();
    d.start(at(0));
    d.requestCancel();
    expect(d.cancelRequested).toBe(true);
    d.cancel(at(3), 131);
    expect(d.status).toBe('canceled');
    expect(d.error).toBe('canceled on request');
    expect(d.exitCode).toBe(131);
  });

  test('a cancel request can be withdrawn', () => {
    const d = newDeployment();
    d.requestCancel();
    d.withdrawCancelRequest();
    expect(d.cancelRequested).toBe(false);
  });

  test.each([
    ['pending', 'succeed'],
    ['running', 'start'],
    ['succeeded', 'fail'],
    ['succeeded', 'cancel'],
    ['failed', 'succeed'],
    ['canceled', 'start'],
  ] as const)('from %s, %s is an illegal transition', (from, action) => {
    const d = newDeployment();
    if (from !== 'pending') d.start(at(0));
    if (from === 'succeeded') d.succeed(at(1));
    if (from === 'failed') d.fail(at(1), 'x', 1);
    if (from === 'canceled') d.cancel(at(1));
    expect(d.status).toBe(from);
    const act = () => (action === 'start' ? d.start(at(9)) : action === 'succeed' ? d.succeed(at(9)) : action === 'fail' ? d.fail(at(9), 'y') : d.cancel(at(9)));
    expect(act).toThrow(IllegalTransition);
    expect(act).toThrow(`cannot go from ${from}`);
    expect(d.status).toBe(from);
  });

  test('a record holds all of it but the cancel request; fromRecord gives the same deployment back', () => {
    const d = newDeployment();
    d.start(at(1));
    d.linkHostBuild('mbz8k2q41x7c9d');
    d.succeed(at(9), 0, { processes: ['web.1'], urls: ['http://node-js-app.dokku.me'] });
    const record = JSON.parse(JSON.stringify(d.toRecord()));
    expect(record).toEqual({
      key: 'deploy_0000000001ab', app: 'node-js-app', origin: 'mcp', hostBuildId: 'mbz8k2q41x7c9d', kind: 'deploy', source: { type: 'none' },
      createdAt: T0.getTime(), status: 'succeeded', startedAt: at(1).getTime(), finishedAt: at(9).getTime(), exitCode: 0,
      verified: { processes: ['web.1'], urls: ['http://node-js-app.dokku.me'] },
    });
    const back = Deployment.fromRecord(record, { cancelRequested: true, logSize: 42 });
    expect(back).toMatchObject({ id: 'node-js-app.mbz8k2q41x7c9d', key: d.key, status: 'succeeded', durationMs: 8000, exitCode: 0, cancelRequested: true, logSize: 42 });
    expect(back.verified).toEqual(d.verified);
    expect(() => Deployment.fromRecord({ ...record, status: 'exploded' })).toThrow(RangeError);
  });
});

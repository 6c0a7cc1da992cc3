import { ListApps } from '../../../../src/application/apps/list-apps.use-case.js';
import { APP_NAME_RULE } from '../../../../src/domain/app-name.js';
import { failure, ok, startHarness, textOf, type Harness } from './mcp-harness.js';

describe('app tools', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('list_apps returns the apps as structured content and as JSON text', async () => {
    h = await startHarness();
    const result = await h.call('list_apps');
    expect(ok(result)).toEqual({ apps: ['node-js-app', 'python-app'], count: 2 });
    expect(JSON.parse(textOf(result))).toEqual({ apps: ['node-js-app', 'python-app'], count: 2 });
  });

  it('get_app_status shows a deployed app with its processes and URLs', async () => {
    h = await startHarness();
    const status = ok(await h.call('get_app_status', { app_name: 'node-js-app' }));
    expect(status).toMatchObject({ app_name: 'node-js-app', deployed: true, running: true, processes_running: 1, processes_total: 1, scale: { web: 1 } });
    expect(status.processes[0]).toMatchObject({ type: 'web', index: 1, status: 'running' });
    expect(status.urls.length).toBeGreaterThan(0);
  });

  it('an unknown app names list_apps', async () => {
    h = await startHarness();
    const text = failure(await h.call('get_app_status', { app_name: 'foo' }));
    expect(text).toBe('App "foo" does not exist. Call list_apps to see the apps on this host.');
  });

  it("a bad app name states Dokku's naming rule", async () => {
    h = await startHarness();
    const text = failure(await h.call('get_app_status', { app_name: 'Bad_Name' }));
    expect(text).toContain(APP_NAME_RULE);
    expect(text).toContain('"Bad_Name"');
  });

  it('a wrongly typed argument is rejected by the schema, without a stack trace', async () => {
    h = await startHarness();
    const text = failure(await h.call('get_app_status', { app_name: 42 }));
    expect(text).toMatch(/app_name/);
  });

  it('create_app creates an empty app and points at deploy_app', async () => {
    h = await startHarness();
    const created = ok(await h.call('create_app', { app_name: 'shop' }));
    expect(created).toMatchObject({ app_name: 'shop', created: true });
    expect(created.next_step).toContain('deploy_app');
    expect(h.host.appNames()).toContain('shop');
    expect(ok(await h.call('get_app_status', { app_name: 'shop' }))).toMatchObject({ deployed: false });
  });

  it('create_app on an existing name says so and what to do', async () => {
    h = await startHarness();
    const text = failure(await h.call('create_app', { app_name: 'python-app' }));
    expect(text).toContain('App "python-app" already exists.');
    expect(text).toContain('get_app_status');
  });

  it('an unreachable host is reported with its hint', async () => {
    h = await startHarness();
    h.host.simulateOutage('connect ECONNREFUSED 10.0.0.1:22');
    const text = failure(await h.call('list_apps'));
    expect(text).toContain('Cannot reach the Dokku host');
    expect(text).toContain('try again');
  });

  it('an unexpected failure gives a generic message with a request id, logged in full, never the stack', async () => {
    h = await startHarness({
      configure: (container) => {
        container.rebind(ListApps).toConstantValue({
          execute: async () => {
            throw new TypeError('cannot read properties of undefined (secret internals)');
          },
        } as unknown as ListApps);
      },
    });
    const text = failure(await h.call('list_apps'));
    const id = /^Internal error \(request ([0-9a-f]{8})\); the server log has details\.$/.exec(text)?.[1];
    expect(id).toBeDefined();
    expect(text).not.toContain('secret internals');
    const logged = h.logLines.join('');
    expect(logged).toContain(id);
    expect(logged).toContain('secret internals');
    // The server is still serving.
    expect((await h.call('list_global_domains')).isError).toBeFalsy();
  });
});

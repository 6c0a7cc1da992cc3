import { failure, ok, startHarness, textOf, type Harness } from './mcp-harness.js';

describe('the surface the agent reads', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('offers only the enabled toolsets, and a call to another tool says which toolset and what it can call', async () => {
    h = await startHarness({ toolsets: ['apps', 'logs'] });
    const names = (await h.client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['list_apps', 'get_runtime_logs']));
    expect(names).not.toContain('add_app_domain');
    const text = failure(await h.call('add_app_domain', { app_name: 'node-js-app', domain: 'x.example.com' }));
    expect(text).not.toMatch(/not found/i);
    expect(text).toContain('belongs to the "domains" toolset, which this server does not enable (tools.toolsets: apps, logs)');
    expect(text).toContain('--toolsets apps,logs,domains');
    expect(text).toContain('It can: list_apps');
  });

  it('in read-only mode, its instructions describe no workflow it cannot run', async () => {
    h = await startHarness({ readOnly: true });
    const instructions = h.client.getInstructions() ?? '';
    expect(instructions).toContain('READ-ONLY MODE');
    for (const name of ['deploy_app', 'create_app', 'restart_app', 'destroy_app', 'confirm_name', 'reveal: true only']) {
      expect([name, instructions.includes(name)]).toEqual([name, false]);
    }
    expect(instructions).toContain('get_build_logs');
  });

  it('refuses reveal: true in read-only mode, and still lists the keys without it', async () => {
    h = await startHarness({ readOnly: true });
    const text = failure(await h.call('get_app_config', { app_name: 'node-js-app', reveal: true }));
    expect(text).toContain('reveal: true is refused: this server is in read-only mode');
    expect(ok(await h.call('get_app_config', { app_name: 'node-js-app' })).revealed).toBe(false);
  });

  it('names the unknown argument and the expected ones, in the tool\'s words', async () => {
    h = await startHarness();
    const text = failure(await h.call('configure_app', { app_name: 'node-js-app', config: { A: '1' } }));
    expect(text).toContain('"config" is not an argument of configure_app');
    expect(text).toContain('missing the required argument "vars"');
    expect(text).toContain('configure_app takes app_name (string), vars (object of strings), restart (boolean, optional)');
    expect(text).not.toMatch(/Required at|Input validation error/);
    expect(h.host.app('node-js-app').config.has('A')).toBe(false);
  });

  it('says which argument has the wrong type', async () => {
    h = await startHarness();
    const text = failure(await h.call('get_runtime_logs', { app_name: 'node-js-app', lines: 'ten' }));
    expect(text).toContain('"lines" must be a number, not a string');
  });

  it('shows config keys as soon as configure_app returns, while the restart runs, as a real host does', async () => {
    h = await startHarness({ deployStepMs: 1000 });
    const change = ok(await h.call('configure_app', { app_name: 'node-js-app', vars: { FRESH_KEY: 'v' } }));
    expect(change.restarted).toBe(true);
    const config = ok(await h.call('get_app_config', { app_name: 'node-js-app' }));
    expect(Object.keys(config.vars)).toContain('FRESH_KEY');
  });

  it('get_runtime_logs: lines is how many came back, requested_lines what was asked after the default', async () => {
    h = await startHarness();
    const few = ok(await h.call('get_runtime_logs', { app_name: 'node-js-app', lines: 3 }));
    expect(few).toMatchObject({ lines: 3, requested_lines: 3 });
    const many = ok(await h.call('get_runtime_logs', { app_name: 'node-js-app', lines: 1000 }));
    expect(many.requested_lines).toBe(1000);
    expect(many.lines).toBe(many.entries.length);
    const byDefault = ok(await h.call('get_runtime_logs', { app_name: 'node-js-app' }));
    expect(byDefault.requested_lines).toBe(100);
    expect(textOf(await h.call('get_runtime_logs', { app_name: 'node-js-app', lines: 1 }))).toContain('"requested_lines": 1');
  });
});

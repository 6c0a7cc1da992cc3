import { failure, startHarness, type Harness } from './mcp-harness.js';

const READ = [
  'list_apps', 'get_app_status', 'get_deployment_status', 'get_build_logs', 'list_deployments', 'get_runtime_logs',
  'follow_runtime_logs', 'get_failed_deploy_logs', 'get_app_config', 'get_app_domains', 'list_global_domains',
];
const MUTATING = [
  'create_app', 'deploy_app', 'deploy_image', 'restart_app', 'start_app', 'rebuild_app', 'scale_app', 'rollback_app', 'cancel_deployment',
  'configure_app', 'add_app_domain', 'add_global_domain',
];
const DESTRUCTIVE = ['destroy_app', 'stop_app', 'remove_app_domain', 'unset_app_config'];

describe('tools/list', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('lists every tool with a title, a description, input and output schemas', async () => {
    h = await startHarness();
    const { tools } = await h.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...READ, ...MUTATING, ...DESTRUCTIVE].sort());
    for (const tool of tools) {
      expect(tool.title).toBeTruthy();
      expect(tool.description!.length).toBeGreaterThan(60);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
      expect(Object.keys(tool.outputSchema?.properties ?? {}).length).toBeGreaterThan(0);
      for (const [field, schema] of Object.entries(tool.inputSchema.properties ?? {})) {
        expect([tool.name, field, (schema as { description?: string }).description]).toEqual([tool.name, field, expect.any(String)]);
      }
    }
  });

  it('derives the annotations from each tool kind, leaving out what the spec\'s defaults say', async () => {
    h = await startHarness();
    const { tools } = await h.client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t.annotations]));
    // openWorldHint defaults to true (every tool reaches the Dokku host); destructive/idempotent hints mean something
    // only when readOnlyHint is false.
    for (const name of READ) expect(byName.get(name)).toEqual({ readOnlyHint: true });
    for (const name of MUTATING) expect(byName.get(name)).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    for (const name of DESTRUCTIVE) expect(byName.get(name)).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    for (const tool of tools) expect(tool.annotations?.openWorldHint).toBeUndefined();
    expect(byName.get('add_app_domain')?.idempotentHint).toBe(true);
    expect(byName.get('deploy_app')?.idempotentHint).toBe(false);
  });

  it('gives destructive tools, and only them, a confirm_name argument explained by its field and the instructions', async () => {
    h = await startHarness();
    const { tools } = await h.client.listTools();
    for (const tool of tools) {
      const has = 'confirm_name' in (tool.inputSchema.properties ?? {});
      expect([tool.name, has]).toEqual([tool.name, DESTRUCTIVE.includes(tool.name)]);
      if (has) expect((tool.inputSchema.properties as Record<string, { description: string }>).confirm_name.description).toContain('app_name');
    }
  });

  it('names the deploy inputs and the optional git_ref', async () => {
    h = await startHarness();
    const deploy = (await h.client.listTools()).tools.find((t) => t.name === 'deploy_app')!;
    expect(Object.keys(deploy.inputSchema.properties ?? {})).toEqual(['app_name', 'repo_url', 'git_ref']);
    expect(deploy.inputSchema.required).toEqual(['app_name', 'repo_url']);
    expect(Object.keys(deploy.outputSchema?.properties ?? {})).toEqual(['deployment_id', 'next_step']); // status: get_build_logs says it
  });

  it('offers only read tools in read-only mode, and refuses a hidden one when called', async () => {
    h = await startHarness({ readOnly: true });
    const names = (await h.client.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual([...READ].sort());
    const result = await h.call('destroy_app', { app_name: 'node-js-app', confirm_name: 'node-js-app' });
    const text = failure(result);
    expect(text).not.toMatch(/not found/i);
    expect(text).toContain('destroy_app is not available: this server is in read-only mode');
    expect(text).toContain('It can: list_apps, get_app_status');
    expect(h.host.appNames()).toContain('node-js-app');
  });

  it('tells the agent at initialize that the sandbox host is simulated, and the deploy workflow', async () => {
    h = await startHarness();
    const instructions = h.client.getInstructions() ?? '';
    expect(instructions).toContain('SIMULATED');
    expect(instructions).toContain('get_build_logs');
    expect(h.client.getServerCapabilities()).toMatchObject({ logging: {}, resources: { subscribe: true, listChanged: true }, tools: {}, prompts: {} });
  });
});

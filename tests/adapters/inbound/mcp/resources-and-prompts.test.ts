import { ErrorCode, McpError, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { GetAppStatus } from '../../../../src/application/apps/get-app-status.use-case.js';
import { SystemClock } from '../../../../src/adapters/outbound/system/system-clock.adapter.js';
import { DeploymentStore } from '../../../../src/ports/deployment-store.port.js';
import { CountingDeploymentStore } from '../../../support/counting-deployment-store.js';
import { fenced, unfenced } from '../../../support/untrusted-fences.js';
import { followBuild, ok, startHarness, type Harness } from './mcp-harness.js';


const REPO = 'https://github.com/heroku/node-js-getting-started.git';

const textOfResource = (result: { contents: ReadonlyArray<object> }): string => {
  const first = result.contents[0];
  return first && 'text' in first ? String(first.text) : '';
};

async function readError(h: Harness, uri: string): Promise<McpError> {
  try {
    await h.client.readResource({ uri });
  } catch (error) {
    return error as McpError;
  }
  throw new Error(`reading ${uri} succeeded`);
}

describe('resources', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('lists the fixed resources, one entry per app and deployment, and the templates', async () => {
    h = await startHarness();
    const { deployment_id } = ok(await h.call('restart_app', { app_name: 'node-js-app' }));
    const uris = (await h.client.listResources()).resources.map((r) => r.uri);
    expect(uris).toEqual(
      expect.arrayContaining([
        'dokku://apps', 'dokku://server/info', 'dokku://app/node-js-app', 'dokku://app/python-app', 'dokku://app/node-js-app/logs',
        `dokku://deployment/${deployment_id}`, `dokku://deployment/${deployment_id}/logs`,
      ]),
    );
    const templates = (await h.client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
    expect(templates.sort()).toEqual(['dokku://app/{name}', 'dokku://app/{name}/logs', 'dokku://deployment/{id}', 'dokku://deployment/{id}/logs']);
  });

  it('reads apps, an app status and its runtime logs', async () => {
    h = await startHarness();
    expect(JSON.parse(textOfResource(await h.client.readResource({ uri: 'dokku://apps' })))).toEqual({ apps: ['node-js-app', 'python-app'] });
    const status = await h.client.readResource({ uri: 'dokku://app/node-js-app' });
    expect(status.contents[0]?.mimeType).toBe('application/json');
    expect(JSON.parse(textOfResource(status))).toMatchObject({ app_name: 'node-js-app', deployed: true });
    const logs = await h.client.readResource({ uri: 'dokku://app/node-js-app/logs' });
    expect(logs.contents[0]?.mimeType).toBe('text/plain');
    const fence = fenced(textOfResource(logs));
    expect(fence.what).toBe('Runtime log output from the app "node-js-app"');
    const lines = fence.body.trimEnd().split('\n').filter((line) => !/^--- \d{4}-\d{2}-\d{2} UTC ---$/.test(line));
    expect(lines).toHaveLength(100); // logs.runtime.default_lines, the date lines aside
    expect(lines[0]).toMatch(/^\d{2}:\d{2}:\d{2}\.\d{3} web\.1 /);
  });

  it('reads a deployment and its whole build log, which grows while it runs', async () => {
    h = await startHarness({ deployStepMs: 20 });
    const { deployment_id } = ok(await h.call('deploy_app', { app_name: 'python-app', repo_url: REPO }));
    // The resource's text is fenced as the host's; its body is the log, byte for byte as get_build_logs serves it.
    const early = unfenced(textOfResource(await h.client.readResource({ uri: `dokku://deployment/${deployment_id}/logs` })));
    await followBuild(h, deployment_id);
    const late = fenced(textOfResource(await h.client.readResource({ uri: `dokku://deployment/${deployment_id}/logs` }))).body;
    expect(late.startsWith(early)).toBe(true);
    expect(late.length).toBeGreaterThan(early.length);
    expect(late).toBe(ok(await h.call('get_build_logs', { deployment_id })).text);
    const status = JSON.parse(textOfResource(await h.client.readResource({ uri: `dokku://deployment/${deployment_id}` })));
    expect(status).toMatchObject({ deployment_id, status: 'succeeded', app_name: 'python-app' });
  });

  it('an unknown app or deployment is an InvalidParams error with the message and hint', async () => {
    h = await startHarness();
    const app = await readError(h, 'dokku://app/foo');
    expect(app.code).toBe(ErrorCode.InvalidParams);
    expect(app.message).toContain('App "foo" does not exist. Call list_apps to see the apps on this host.');
    const deployment = await readError(h, 'dokku://deployment/deploy_0000000000zz/logs');
    expect(deployment.code).toBe(ErrorCode.InvalidParams);
    expect(deployment.message).toContain('list_deployments');
  });

  it('an unexpected failure while reading is a generic internal error with a request id, never the details', async () => {
    h = await startHarness({
      configure: (c) =>
        void c.rebind(GetAppStatus).toConstantValue({
          execute: async () => {
            throw new Error('db password=hunter2 at /srv/x.js:1');
          },
        } as unknown as GetAppStatus),
    });
    const error = await readError(h, 'dokku://app/node-js-app');
    expect(error.code).toBe(ErrorCode.InternalError);
    expect(error.message).toMatch(/Internal error \(request [0-9a-f]{8}\); the server log has details\./);
    expect(error.message).not.toContain('hunter2');
    expect(h.logLines.join('')).not.toContain('hunter2'); // logged, but through the sanitizer
  });

  it('server info says plainly that the sandbox host is simulated', async () => {
    h = await startHarness();
    const info = JSON.parse(textOfResource(await h.client.readResource({ uri: 'dokku://server/info' })));
    expect(info).toMatchObject({ simulated: true, host: expect.any(String), dokku_version: expect.any(String) });
    expect(info.note).toContain('SIMULATED');
    expect(info.plugins.length).toBeGreaterThan(0);
  });

  it('completes app names in the templates', async () => {
    h = await startHarness();
    const result = await h.client.complete({ ref: { type: 'ref/resource', uri: 'dokku://app/{name}' }, argument: { name: 'name', value: 'no' } });
    expect(result.completion.values).toEqual(['node-js-app']);
  });
});

describe('subscriptions', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('notifies a subscriber of the build log while the deployment runs', async () => {
    h = await startHarness({ deployStepMs: 40 });
    const updates: string[] = [];
    h.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    const { deployment_id } = ok(await h.call('deploy_app', { app_name: 'python-app', repo_url: REPO }));
    const uri = `dokku://deployment/${deployment_id}/logs`;
    await h.client.subscribeResource({ uri });
    await followBuild(h, deployment_id);
    // Notifications are debounced: wait for one to cross the pipe (the cap is only reached when none ever comes).
    for (const deadline = Date.now() + 10_000; updates.length === 0 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 10));
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(new Set(updates)).toEqual(new Set([uri]));
  });

  it('stops notifying after unsubscribe', async () => {
    h = await startHarness({ deployStepMs: 40 });
    const updates: string[] = [];
    h.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    const { deployment_id } = ok(await h.call('deploy_app', { app_name: 'python-app', repo_url: REPO }));
    const uri = `dokku://deployment/${deployment_id}`;
    await h.client.subscribeResource({ uri });
    await h.client.unsubscribeResource({ uri });
    await followBuild(h, deployment_id);
    await new Promise((resolve) => setTimeout(resolve, 300)); // longer than the debounce
    expect(updates).toEqual([]);
  });

  it('drops the session\'s watchers when the client disconnects', async () => {
    const store = new CountingDeploymentStore(new SystemClock(), { retentionMs: 60_000, maxDeployments: 10 });
    h = await startHarness({ deployStepMs: 200, configure: (c) => void c.rebind(DeploymentStore).toConstantValue(store) });
    const { deployment_id } = ok(await h.call('deploy_app', { app_name: 'python-app', repo_url: REPO }));
    await h.client.subscribeResource({ uri: `dokku://deployment/${deployment_id}/logs` });
    await h.client.subscribeResource({ uri: `dokku://deployment/${deployment_id}` });
    expect(store.live).toBe(2);
    await h.client.close();
    expect(store.live).toBe(0);
  });

  it('refuses an unknown deployment and a resource that sends no updates', async () => {
    h = await startHarness();
    await expect(h.client.subscribeResource({ uri: 'dokku://deployment/deploy_0000000000zz/logs' })).rejects.toThrow('list_deployments');
    await expect(h.client.subscribeResource({ uri: 'dokku://apps' })).rejects.toThrow('only dokku://deployment/{id}');
  });
});

describe('app_doctor prompt', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('is listed and walks through the diagnosis tools for the app', async () => {
    h = await startHarness();
    expect((await h.client.listPrompts()).prompts.map((p) => p.name)).toEqual(['app_doctor']);
    const prompt = await h.client.getPrompt({ name: 'app_doctor', arguments: { app_name: 'node-js-app' } });
    const text = prompt.messages.map((m) => (m.content.type === 'text' ? m.content.text : '')).join('\n');
    for (const tool of ['get_app_status', 'get_runtime_logs', 'list_deployments', 'get_build_logs', 'get_failed_deploy_logs', 'get_app_domains', 'get_app_config']) {
      expect(text).toContain(tool);
    }
    expect(text).toContain('"node-js-app"');
    expect(text).toContain('do not pass reveal');
  });

  it('rejects an invalid app name with the rule', async () => {
    h = await startHarness();
    await expect(h.client.getPrompt({ name: 'app_doctor', arguments: { app_name: 'Bad Name' } })).rejects.toThrow('Invalid app_name');
  });
});

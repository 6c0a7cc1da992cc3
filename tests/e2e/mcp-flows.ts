import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ResourceUpdatedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { waitUntil } from '../support/wait-for.js';
import { bodyOf } from '../support/untrusted-fences.js';

/**
 * The flows every transport must carry the same way (stdio, Streamable HTTP, legacy SSE), against the BUILT server on
 * the simulated host with fast deploys (DOKKU_MCP_SANDBOX_DEPLOY_STEP_MS=150). `prefix` keeps the apps of suites that
 * share one server apart.
 */
export const REPO = 'https://github.com/heroku/node-js-getting-started.git';
export const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));
/** Generous cap on every wait below: only a broken server reaches it, and the error then says what did not happen. */
export const WAIT_MS = 20_000;
/** One group of build lines per 150 ms: read back to back, the client sees the log grow unless starved that long. */
export const FLOW_DEPLOY_STEP_MS = '150';

export const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
export function ok(r: CallToolResult): Record<string, any> {
  if (r.isError) throw new Error(`tool failed: ${textOf(r)}`);
  return r.structuredContent as Record<string, any>;
}
export function failure(r: CallToolResult): string {
  expect(r.isError).toBe(true);
  expect(textOf(r)).not.toMatch(/\n\s+at \S/);
  return textOf(r);
}
export const resourceText = (r: { contents: ReadonlyArray<object> }) => {
  const first = r.contents[0];
  return first && 'text' in first ? String(first.text) : '';
};

export function describeMcpFlows(prefix: string, connected: () => Client): void {
  const call = async (name: string, args: Record<string, unknown> = {}) => (await connected().callTool({ name, arguments: args })) as CallToolResult;

  it('creates and deploys an app; the log grows between reads; subscribers hear about it, also after the end', async () => {
    const client = connected();
    const app = `${prefix}-shop`;
    expect(ok(await call('create_app', { app_name: app }))).toMatchObject({ created: true });
    const started = ok(await call('deploy_app', { app_name: app, repo_url: REPO }));
    const id: string = started.deployment_id;
    const logsUri = `dokku://deployment/${id}/logs`;
    expect(started.next_step).toContain(logsUri);

    const statusesSeenOnUpdate: string[] = [];
    const reads: Promise<unknown>[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      if (n.params.uri !== logsUri) return;
      reads.push(client.readResource({ uri: `dokku://deployment/${id}` }).then((r) => statusesSeenOnUpdate.push(JSON.parse(resourceText(r)).status)));
    });
    await client.subscribeResource({ uri: logsUri });

    // Read until the deployment says it is complete (no fixed number of polls, no fixed pause between them).
    const resourceSizes: number[] = [];
    let offset = 0;
    let polled = '';
    for (const deadline = Date.now() + WAIT_MS; ; ) {
      resourceSizes.push(resourceText(await client.readResource({ uri: logsUri })).length);
      const page = ok(await call('get_build_logs', { deployment_id: id, since_offset: offset }));
      polled += page.text;
      offset = page.next_offset;
      if (page.complete) break;
      if (Date.now() > deadline) throw new Error(`deployment ${id} did not complete within ${WAIT_MS} ms`);
      await pause(5);
    }
    const final = ok(await call('get_deployment_status', { deployment_id: id }));
    expect(final).toMatchObject({ status: 'succeeded', exit_code: 0, app_name: app });
    expect(new Set(resourceSizes).size).toBeGreaterThan(2); // the transcript grew between reads
    expect(resourceSizes).toEqual([...resourceSizes].sort((a, b) => a - b));
    expect(polled).toBe(bodyOf(resourceText(await client.readResource({ uri: logsUri })))); // the resource fences the same bytes

    // The update after the end is debounced: wait for it (the cap is reached only if it never comes).
    await waitUntil(() => statusesSeenOnUpdate.includes('succeeded'), 'the resources/updated after the end', WAIT_MS);
    await Promise.all(reads);
    expect(statusesSeenOnUpdate).toContain('running'); // updates while it ran…
    expect(statusesSeenOnUpdate).toContain('succeeded'); // …and one after it ended
    await client.unsubscribeResource({ uri: logsUri });
    expect(ok(await call('get_app_status', { app_name: app }))).toMatchObject({ deployed: true });
  });

  it('a repository URL containing "fail" ends failed', async () => {
    const app = `${prefix}-broken`;
    await call('create_app', { app_name: app });
    const { deployment_id } = ok(await call('deploy_app', { app_name: app, repo_url: 'https://github.com/acme/will-fail.git' }));
    let status: Record<string, any> = {};
    for (const deadline = Date.now() + WAIT_MS; Date.now() < deadline; ) {
      status = ok(await call('get_deployment_status', { deployment_id }));
      if (!status.active) break;
      await pause(40);
    }
    expect(status.status).toBe('failed');
    expect(status.error).toEqual(expect.any(String));
  });

  it('destroys an app only with a matching confirm_name', async () => {
    const app = `${prefix}-doomed`;
    await call('create_app', { app_name: app });
    expect(failure(await call('destroy_app', { app_name: app }))).toContain(`confirm_name: "${app}"`);
    expect(ok(await call('list_apps')).apps).toContain(app);
    expect(ok(await call('destroy_app', { app_name: app, confirm_name: app }))).toMatchObject({ destroyed: true });
    expect(ok(await call('list_apps')).apps).not.toContain(app);
  });

  it('answers bad inputs with errors that say what to do', async () => {
    expect(failure(await call('get_app_status', { app_name: 'Bad_Name' }))).toContain('an app name must begin with a lowercase alphanumeric character');
    expect(failure(await call('get_app_status', { app_name: 'foo' }))).toBe('App "foo" does not exist. Call list_apps to see the apps on this host.');
    expect(failure(await call('get_build_logs', { deployment_id: 'deploy_0000000000zz' }))).toContain('list_deployments');
    expect(failure(await call('get_runtime_logs', { app_name: 'node-js-app', lines: 5000 }))).toContain('logs.runtime.max_lines = 1000');
    expect(failure(await call('scale_app', { app_name: 'node-js-app', processes: { web: 5000 } }))).toContain('from 0 to 100');
    expect(failure(await call('get_build_logs', { deployment_id: 'deploy_0000000000zz', since_offset: -1 }))).toMatch(/since_offset/);
    for (const image of ['dokku/node-js-app:latest', 'index.docker.io/dokku/node-js-app:latest', 'registry-1.docker.io/dokku/python-app']) {
      expect(failure(await call('deploy_image', { app_name: 'python-app', image }))).toContain('"dokku/" namespace');
    }
    await expect(connected().readResource({ uri: 'dokku://app/foo' })).rejects.toThrow('App "foo" does not exist.');
    expect(ok(await call('list_apps')).apps).toContain('node-js-app'); // still serving
  });
}

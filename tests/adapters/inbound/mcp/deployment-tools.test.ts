import { failure, followBuild, ok, startHarness, textOf, type Harness } from './mcp-harness.js';
import { fenced as fencedText, fencesIn } from '../../../support/untrusted-fences.js';

const REPO = 'https://github.com/heroku/node-js-getting-started.git';

describe('deployment tools', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('deploy_app returns the deployment at once, with where to read its log', async () => {
    h = await startHarness({ deployStepMs: 50 });
    const started = ok(await h.call('deploy_app', { app_name: 'python-app', repo_url: REPO }));
    expect(started.deployment_id).toMatch(/^python-app\.[0-9a-z]{14}$/); // <app>.<Dokku build id>
    expect(started).not.toHaveProperty('status'); // get_build_logs says how it stands
    expect(started.next_step).toContain(`dokku://deployment/${started.deployment_id}/logs`);
    expect(started.next_step).toContain('get_build_logs');
  });

  it('get_build_logs with offsets returns each part of the log once, until complete', async () => {
    h = await startHarness({ deployStepMs: 20 });
    const { deployment_id } = ok(await h.call('deploy_app', { app_name: 'python-app', repo_url: REPO, git_ref: 'main' }));
    const pages = await followBuild(h, deployment_id);
    const incremental = pages.map((p) => p.text).join('');
    const whole = ok(await h.call('get_build_logs', { deployment_id }));
    expect(whole.complete).toBe(true);
    expect(incremental).toBe(whole.text);
    expect(pages.filter((p) => p.text !== '').length).toBeGreaterThan(1); // it arrived in several parts
    expect(pages.at(-1)).toMatchObject({ status: 'succeeded', complete: true, skipped_bytes: 0 });
  });

  it('fences log text in the text content as untrusted data', async () => {
    h = await startHarness();
    const { deployment_id } = ok(await h.call('deploy_app', { app_name: 'python-app', repo_url: REPO }));
    await followBuild(h, deployment_id);
    const result = await h.call('get_build_logs', { deployment_id });
    const [json, fenced] = result.content.map((c) => (c.type === 'text' ? c.text : ''));
    expect(JSON.parse(json!)).not.toHaveProperty('text');
    // The whole log, byte for byte, inside one fence labelled as the build's output.
    expect(fencedText(fenced!)).toEqual({ what: "Build log output from Dokku and the app's build", body: (result.structuredContent as { text: string }).text });
  });

  it('get_deployment_status reports the outcome, timestamps, duration, and the log tail once (as fenced text only)', async () => {
    h = await startHarness();
    const { deployment_id } = ok(await h.call('deploy_app', { app_name: 'python-app', repo_url: REPO }));
    await followBuild(h, deployment_id);
    const status = ok(await h.call('get_deployment_status', { deployment_id }));
    expect(status).toMatchObject({
      deployment_id, app_name: 'python-app', origin: 'mcp', kind: 'deploy', status: 'succeeded', active: false, exit_code: 0, error: null,
      source: { type: 'git', repo_url: REPO },
      processes: ['web.1'], urls: ['http://python-app.dokku.me'], // verified: what runs after it, and where
    });
    expect(new Date(status.finished_at).toISOString()).toBe(status.finished_at);
    expect(status.duration_ms).toBeGreaterThanOrEqual(0);
    expect(status.log_size).toBeGreaterThan(0);
    const result = await h.call('get_deployment_status', { deployment_id });
    const [fence, ...more] = fencesIn(textOf(result));
    expect(more).toEqual([]);
    const tail = fence!.body;
    expect(tail).toContain('=====> Application deployed');
    expect(JSON.stringify(result.structuredContent)).not.toContain('Application deployed'); // said once: not also in the result
    expect(tail.split('\n').filter((line) => line).length).toBeLessThanOrEqual(30);
    expect(ok(await h.call('get_app_status', { app_name: 'python-app' }))).toMatchObject({ deployed: true });
  });

  it('a repository URL containing "fail" ends failed, with the reason', async () => {
    h = await startHarness();
    const { deployment_id } = ok(await h.call('deploy_app', { app_name: 'python-app', repo_url: 'https://github.com/acme/fail-app.git' }));
    await followBuild(h, deployment_id);
    const status = ok(await h.call('get_deployment_status', { deployment_id }));
    expect(status.status).toBe('failed');
    expect(status.exit_code).not.toBe(0);
    expect(status.error).toEqual(expect.any(String));
  });

  it('a second deploy of the same app is refused, naming the running one', async () => {
    h = await startHarness({ deployStepMs: 200 });
    const first = ok(await h.call('deploy_app', { app_name: 'python-app', repo_url: REPO }));
    const text = failure(await h.call('deploy_image', { app_name: 'python-app', image: 'nginx:1.27' }));
    expect(text).toContain(first.deployment_id);
    expect(text).toContain('cancel_deployment');
  });

  it('an invalid repo URL states the rule', async () => {
    h = await startHarness();
    const text = failure(await h.call('deploy_app', { app_name: 'python-app', repo_url: 'file:///etc' }));
    expect(text).toContain('repo_url must be a remote git URL');
  });

  it('list_deployments lists newest first, per app and active only', async () => {
    h = await startHarness({ deployStepMs: 100 });
    const done = ok(await h.call('restart_app', { app_name: 'node-js-app' }));
    await followBuild(h, done.deployment_id);
    const running = ok(await h.call('deploy_image', { app_name: 'python-app', image: 'nginx:1.27' }));
    const all = ok(await h.call('list_deployments'));
    expect(all.deployments.map((d: { deployment_id: string }) => d.deployment_id)).toEqual([running.deployment_id, done.deployment_id]);
    const active = ok(await h.call('list_deployments', { active_only: true }));
    expect(active.deployments.map((d: { deployment_id: string }) => d.deployment_id)).toEqual([running.deployment_id]);
    const forNode = ok(await h.call('list_deployments', { app_name: 'node-js-app' }));
    expect(forNode).toMatchObject({ count: 1, deployments: [{ kind: 'restart', app_name: 'node-js-app' }] });
  });

  it('restart_app, start_app, rebuild_app and scale_app each start a deployment', async () => {
    h = await startHarness();
    for (const [name, args, kind] of [
      ['restart_app', {}, 'restart'],
      ['start_app', {}, 'start'],
      ['rebuild_app', {}, 'rebuild'],
      ['scale_app', { processes: { web: 2 } }, 'scale'],
    ] as const) {
      const started = ok(await h.call(name, { app_name: 'node-js-app', ...args }));
      const status = ok(await h.call('get_deployment_status', { deployment_id: started.deployment_id }));
      expect([name, status.kind]).toEqual([name, kind]);
      const pages = await followBuild(h, started.deployment_id);
      expect([name, pages.at(-1)!.status]).toEqual([name, 'succeeded']);
    }
    expect(ok(await h.call('get_app_status', { app_name: 'node-js-app' })).scale).toEqual({ web: 2 });
  });

  it('restart_app on an app never deployed says to deploy first', async () => {
    h = await startHarness();
    expect(failure(await h.call('restart_app', { app_name: 'python-app' }))).toContain('has not been deployed. Deploy it first');
  });

  it('scale_app: a negative count fails the schema, an excessive one names the limit', async () => {
    h = await startHarness();
    expect(failure(await h.call('scale_app', { app_name: 'node-js-app', processes: { web: -1 } }))).toMatch(/processes/);
    expect(failure(await h.call('scale_app', { app_name: 'node-js-app', processes: { web: 5000 } }))).toContain('from 0 to 100');
  });

  it('cancel_deployment cancels a running deployment; a finished one is a conflict', async () => {
    h = await startHarness({ deployStepMs: 100 });
    const { deployment_id } = ok(await h.call('deploy_app', { app_name: 'python-app', repo_url: REPO }));
    const canceled = ok(await h.call('cancel_deployment', { deployment_id }));
    // The sandbox cancels at once: a canceled deployment is not one to poll "until it is canceled".
    expect(canceled).toMatchObject({ deployment_id, status: 'canceled' });
    expect(canceled.next_step).not.toMatch(/poll|until/i);
    expect(canceled.next_step).toContain('previous release');
    const pages = await followBuild(h, deployment_id);
    expect(pages.at(-1)!.status).toBe('canceled');
    expect(failure(await h.call('cancel_deployment', { deployment_id }))).toContain('has already ended (canceled)');
  });

  it('an unknown deployment id names list_deployments; a malformed one shows the format', async () => {
    h = await startHarness();
    const unknown = failure(await h.call('get_build_logs', { deployment_id: 'deploy_0000000000zz' }));
    expect(unknown).toContain('Deployment "deploy_0000000000zz" does not exist.');
    expect(unknown).toContain('list_deployments');
    expect(failure(await h.call('get_deployment_status', { deployment_id: 'nope' }))).toContain('a deployment id looks like');
  });

  it('since_offset must be a whole number >= 0', async () => {
    h = await startHarness();
    const { deployment_id } = ok(await h.call('deploy_app', { app_name: 'python-app', repo_url: REPO }));
    const text = failure(await h.call('get_build_logs', { deployment_id, since_offset: -5 }));
    expect(text).toMatch(/since_offset/);
    expect(textOf(await h.call('get_build_logs', { deployment_id, since_offset: 10 ** 9 }))).toContain('"text": ""');
  });
});

import { NODE_JS_APP_SEED } from '../../../../src/adapters/outbound/sandbox/sandbox-seed.js';
import { recordHostCalls, type HostCall } from '../../../support/recording-dokku-ports.js';
import { failure, followBuild, ok, startHarness, type Harness } from './mcp-harness.js';

/** The letsencrypt toolset through a real SDK Client on the real container, against the sandbox host. */
describe('letsencrypt tools', () => {
  let h: Harness;
  let calls: HostCall[];
  afterEach(async () => h?.close());
  const start = async (options: Parameters<typeof startHarness>[0] = {}) => {
    h = await startHarness({ toolsets: ['apps', 'deploys', 'letsencrypt'], configure: (c) => void (calls = recordHostCalls(c)), ...options });
  };

  it('refuses enable until an email is set, saying how; then enables, as a deployment, and reports the expiry', async () => {
    await start();
    expect(ok(await h.call('get_letsencrypt_status', { app_name: 'node-js-app' }))).toEqual({
      app_name: 'node-js-app', active: false, expires_at: null, email: null, auto_renew: false,
    });
    const before = calls.length;
    const refused = failure(await h.call('enable_letsencrypt', { app_name: 'node-js-app' }));
    expect(refused).toBe(
      'Let\'s Encrypt needs an email address to register the certificate of "node-js-app" under, and none is set (for the app or globally); nothing was run. ' +
        'Ask the user for the address, call set_letsencrypt_email("node-js-app", email), then enable_letsencrypt again.',
    );
    expect(calls.slice(before).some((c) => c.port === 'DokkuDeploys')).toBe(false);
    expect(ok(await h.call('list_deployments')).count).toBe(0);

    expect(failure(await h.call('set_letsencrypt_email', { app_name: 'node-js-app', email: 'not an email' }))).toContain('Invalid email');
    expect(ok(await h.call('set_letsencrypt_email', { app_name: 'node-js-app', email: 'ops@example.com' }))).toEqual({ app_name: 'node-js-app', email: 'ops@example.com' });
    const started = ok(await h.call('enable_letsencrypt', { app_name: 'node-js-app' }));
    const log = (await followBuild(h, started.deployment_id)).map((p) => p.text).join('');
    expect(log).toContain('Certificate retrieved successfully.');
    expect(ok(await h.call('get_deployment_status', { deployment_id: started.deployment_id }))).toMatchObject({ status: 'succeeded', kind: 'letsencrypt' });
    const status = ok(await h.call('get_letsencrypt_status', { app_name: 'node-js-app' }));
    expect(status).toMatchObject({ active: true, email: 'ops@example.com' });
    expect(Date.parse(status.expires_at) - Date.now()).toBeGreaterThan(89 * 86_400_000);
  });

  it('a certificate the ACME server cannot issue fails the deployment with the plugin\'s reason', async () => {
    await start({ seed: [{ ...NODE_JS_APP_SEED, domains: ['fail.example.com'] }] });
    h.host.plugin.globalEmail = 'ops@example.com';
    const started = ok(await h.call('enable_letsencrypt', { app_name: 'node-js-app' }));
    await followBuild(h, started.deployment_id);
    expect(ok(await h.call('get_deployment_status', { deployment_id: started.deployment_id }))).toMatchObject({
      status: 'failed', error: 'Check log output for further information on failure',
    });
    expect(ok(await h.call('get_letsencrypt_status', { app_name: 'node-js-app' })).active).toBe(false);
  });

  it('disable asks for confirmation (nothing reaches the host before), then removes the certificate', async () => {
    await start();
    h.host.plugin.letsencrypt.set('node-js-app', { email: 'ops@example.com', expiresAt: Date.now() + 86_400_000 });
    const before = calls.length;
    expect(failure(await h.call('disable_letsencrypt', { app_name: 'node-js-app' }))).toMatch(/this needs confirmation; nothing was changed\. .*confirm_name: "node-js-app"/);
    // Only the app's config is read, to redact the answer and the audit line: no letsencrypt command ran.
    expect(calls.slice(before).map((c) => `${c.port}.${c.method}`)).toEqual(['DokkuConfig.get']);
    expect(ok(await h.call('disable_letsencrypt', { app_name: 'node-js-app', confirm_name: 'node-js-app' }))).toEqual({ app_name: 'node-js-app', disabled: true });
    expect(ok(await h.call('get_letsencrypt_status', { app_name: 'node-js-app' })).active).toBe(false);
  });

  it('refuses every tool when the plugin is not installed, with the command that installs it', async () => {
    await start({ plugins: { plugins: ['postgres'] } });
    const text = failure(await h.call('get_letsencrypt_status', { app_name: 'node-js-app' }));
    expect(text).toBe(
      'The dokku-letsencrypt plugin is not installed on this host; nothing was run. An operator installs it on the host, as root: ' +
        '`sudo dokku plugin:install https://github.com/dokku/dokku-letsencrypt.git`. Then call again.',
    );
    expect(failure(await h.call('enable_letsencrypt', { app_name: 'node-js-app' }))).toContain('dokku-letsencrypt plugin is not installed');
  });
});

import { AppName } from '../../../../src/domain/app-name.js';
import { DEFAULT_SANDBOX_SEED } from '../../../../src/adapters/outbound/sandbox/sandbox-seed.js';
import { DokkuCommandFailed } from '../../../../src/domain/domain-errors.js';
import { DokkuDomains } from '../../../../src/ports/dokku-domains.port.js';
import { DokkuLogs } from '../../../../src/ports/dokku-logs.port.js';
import { ScriptedDokkuLogs } from '../../../support/scripted-dokku-logs.js';
import { failure, ok, startHarness, type Harness } from './mcp-harness.js';

/**
 * Issue 14 through the SDK's real Client: an app's own config values never reach a client in that app's runtime
 * logs (tool and resource) or in a Dokku error message, and values just set with configure_app are covered at once.
 */
const WEBHOOK = 'whsec_51Hx9ZqLive';
const KEY_BODY = ['MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo', '4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onL'];
const HISTORY = ['boot', '-----BEGIN PRIVATE KEY-----', ...KEY_BODY, '-----END PRIVATE KEY-----', `webhook ${WEBHOOK} ready`, 'token tok-just-set-123', 'ok'];
const seed = DEFAULT_SANDBOX_SEED.map((app) => (app.name === 'node-js-app' ? { ...app, config: { ...app.config, STRIPE_WEBHOOK: WEBHOOK } } : app));
const leaks = (text: string) => [WEBHOOK, 'tok-just-set-123', ...KEY_BODY].filter((s) => text.includes(s));

describe('redaction through the MCP client (issue 14)', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('get_runtime_logs and dokku://app/{name}/logs: no window shows a key body or a config value', async () => {
    h = await startHarness({ seed, configure: (c) => void c.rebind(DokkuLogs).toConstantValue(new ScriptedDokkuLogs([{ proc: 'web.1', messages: HISTORY }])) });
    // Set through the server, not yet read back from the host: redacted from the next read on.
    ok(await h.call('configure_app', { app_name: 'node-js-app', vars: { SESSION_TOKEN: 'tok-just-set-123' }, restart: false }));
    for (let lines = 1; lines <= HISTORY.length; lines++) {
      const result = await h.call('get_runtime_logs', { app_name: 'node-js-app', lines });
      const text = JSON.stringify(result);
      expect({ lines, leaks: leaks(text) }).toEqual({ lines, leaks: [] });
      expect(text).toContain('ok');
    }
    const resource = await h.client.readResource({ uri: 'dokku://app/node-js-app/logs' });
    const text = resource.contents.map((c) => ('text' in c ? c.text : '')).join('');
    expect(text).toContain('webhook [REDACTED] ready');
    expect(leaks(text)).toEqual([]);
  });

  it("a Dokku error message that echoes one of the app's config values comes back redacted", async () => {
    h = await startHarness({
      seed,
      configure: (c) => {
        const real = c.get<DokkuDomains>(DokkuDomains);
        c.rebind(DokkuDomains).toConstantValue({
          ...real,
          ofApp: (app: AppName) => real.ofApp(app),
          allApps: () => real.allApps(),
          add: async () => {
            throw new DokkuCommandFailed('domains:add', 1, `hook failed: curl https://hooks.example.com?secret=x -d ${WEBHOOK}`);
          },
        } as DokkuDomains);
      },
    });
    const text = failure(await h.call('add_app_domain', { app_name: 'node-js-app', domain: 'shop.example.com' }));
    expect(text).toContain('Dokku domains:add failed');
    expect(text).not.toContain(WEBHOOK);
    expect(text).toContain('[REDACTED]');
  });
});

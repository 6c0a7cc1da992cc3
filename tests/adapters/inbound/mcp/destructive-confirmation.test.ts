import { failure, ok, startHarness, type Harness } from './mcp-harness.js';

describe('destructive tools: confirmation', () => {
  let h: Harness;
  afterEach(async () => h.close());

  describe('a client without elicitation', () => {
    it('destroys the app when confirm_name equals app_name', async () => {
      h = await startHarness();
      expect(ok(await h.call('destroy_app', { app_name: 'python-app', confirm_name: 'python-app' }))).toEqual({
        app_name: 'python-app',
        destroyed: true,
      });
      expect(h.host.appNames()).not.toContain('python-app');
    });

    it('without confirm_name changes nothing and names the fix', async () => {
      h = await startHarness();
      const text = failure(await h.call('destroy_app', { app_name: 'python-app' }));
      expect(text).toContain('nothing was changed');
      expect(text).toContain('confirm_name: "python-app"');
      expect(h.host.appNames()).toContain('python-app');
    });

    it('with a mismatching confirm_name changes nothing and names the fix', async () => {
      h = await startHarness();
      const text = failure(await h.call('destroy_app', { app_name: 'python-app', confirm_name: 'node-js-app' }));
      expect(text).toContain('confirm_name "node-js-app" does not match app_name "python-app"');
      expect(text).toContain('confirm_name: "python-app"');
      expect(h.host.appNames()).toContain('python-app');
    });

    it('checks the app name before asking for confirmation', async () => {
      h = await startHarness();
      expect(failure(await h.call('destroy_app', { app_name: 'Nope!', confirm_name: 'Nope!' }))).toContain('Invalid app_name');
    });

    it('guards stop_app, remove_app_domain and unset_app_config the same way', async () => {
      h = await startHarness();
      for (const [name, args] of [
        ['stop_app', {}],
        ['remove_app_domain', { domain: 'node-js-app.dokku.me' }],
        ['unset_app_config', { keys: ['NODE_ENV'], restart: false }],
      ] as const) {
        expect([name, failure(await h.call(name, { app_name: 'node-js-app', ...args }))]).toEqual([name, expect.stringContaining('confirm_name')]);
      }
      expect(ok(await h.call('get_app_status', { app_name: 'node-js-app' })).running).toBe(true);
      expect(ok(await h.call('stop_app', { app_name: 'node-js-app', confirm_name: 'node-js-app' }))).toMatchObject({ stopped: true });
      expect(ok(await h.call('get_app_status', { app_name: 'node-js-app' })).running).toBe(false);
    });

    it('is refused outright when the operator requires elicitation, saying why', async () => {
      h = await startHarness({ requireElicitation: true });
      const text = failure(await h.call('destroy_app', { app_name: 'python-app', confirm_name: 'python-app' }));
      expect(text).toContain("operator requires a human's confirmation");
      expect(text).toContain('does not support MCP elicitation');
      expect(h.host.appNames()).toContain('python-app');
    });

    it('a refused destructive call does not stop the read tools', async () => {
      h = await startHarness({ requireElicitation: true });
      failure(await h.call('stop_app', { app_name: 'node-js-app' }));
      expect(ok(await h.call('list_apps')).count).toBe(2);
    });
  });

  describe('a client with elicitation', () => {
    it('asks the human and proceeds on accept with confirm true, ignoring confirm_name', async () => {
      h = await startHarness({ elicit: () => ({ action: 'accept', content: { confirm: true } }) });
      expect(ok(await h.call('destroy_app', { app_name: 'python-app' }))).toMatchObject({ destroyed: true });
      expect(h.elicitations).toHaveLength(1);
      const params = h.elicitations[0]!.params as { message: string; requestedSchema: { properties: Record<string, { type: string }> } };
      expect(params.message).toContain('Destroy app "python-app"');
      expect(params.requestedSchema.properties.confirm!.type).toBe('boolean');
    });

    it.each([
      ['decline', { action: 'decline' as const }],
      ['cancel', { action: 'cancel' as const }],
      ['accept without the box ticked', { action: 'accept' as const, content: { confirm: false } }],
    ])('changes nothing on %s', async (_what, answer) => {
      h = await startHarness({ elicit: () => answer });
      const text = failure(await h.call('destroy_app', { app_name: 'python-app', confirm_name: 'python-app' }));
      expect(text).toContain('not confirmed');
      expect(text).toContain('nothing was changed');
      expect(h.host.appNames()).toContain('python-app');
    });

    it('never asks the human to confirm arguments that would be refused anyway', async () => {
      h = await startHarness({ elicit: () => ({ action: 'accept', content: { confirm: true } }) });
      expect(failure(await h.call('remove_app_domain', { app_name: 'node-js-app', domain: 'not a domain' }))).toContain('a domain is a DNS name');
      expect(failure(await h.call('unset_app_config', { app_name: 'node-js-app', keys: ['1BAD'] }))).toContain('a config key is');
      expect(failure(await h.call('stop_app', { app_name: '-x' }))).toContain('Invalid app_name');
      expect(h.elicitations).toEqual([]);
    });

    it('satisfies require_elicitation', async () => {
      h = await startHarness({ requireElicitation: true, elicit: () => ({ action: 'accept', content: { confirm: true } }) });
      expect(ok(await h.call('remove_app_domain', { app_name: 'node-js-app', domain: 'node-js-app.dokku.me' })).domains).toEqual([]);
    });

    it('treats a failing elicitation as not confirmed', async () => {
      h = await startHarness({
        elicit: () => {
          throw new Error('the UI crashed');
        },
      });
      const text = failure(await h.call('stop_app', { app_name: 'node-js-app' }));
      expect(text).toContain('nothing was changed');
      expect(ok(await h.call('get_app_status', { app_name: 'node-js-app' })).running).toBe(true);
    });
  });
});

import { AddAppDomain } from '../../../src/application/domains/add-app-domain.use-case.js';
import { AddGlobalDomain } from '../../../src/application/domains/add-global-domain.use-case.js';
import { GetAppDomains } from '../../../src/application/domains/get-app-domains.use-case.js';
import { ListGlobalDomains } from '../../../src/application/domains/list-global-domains.use-case.js';
import { RemoveAppDomain } from '../../../src/application/domains/remove-app-domain.use-case.js';
import { AppNotFound, Conflict, InvalidArgument } from '../../../src/domain/domain-errors.js';
import { createWorld, type World, OPEN_ACCESS, OPERATOR } from '../../support/sandbox-world.js';

describe('domain use cases', () => {
  let world: World;
  beforeEach(() => (world = createWorld()));
  afterEach(() => world.dispose());

  describe('GetAppDomains', () => {
    test('the app\'s domains and the global ones', async () => {
      expect(await new GetAppDomains(world.domains, OPEN_ACCESS).execute(OPERATOR, { appName: 'node-js-app' })).toEqual({
        app: 'node-js-app',
        enabled: true,
        domains: ['node-js-app.dokku.me'],
        globalDomains: ['dokku.me'],
      });
    });

    test('a missing app is AppNotFound', async () => {
      await expect(new GetAppDomains(world.domains, OPEN_ACCESS).execute(OPERATOR, { appName: 'no-such-app' })).rejects.toBeInstanceOf(AppNotFound);
    });
  });

  describe('AddAppDomain', () => {
    test('adds the domain, lower-cased, and returns the app\'s domains', async () => {
      const result = await new AddAppDomain(world.domains, OPEN_ACCESS).execute(OPERATOR, { appName: 'node-js-app', domain: 'WWW.Example.com' });
      expect(result.domains).toEqual(['node-js-app.dokku.me', 'www.example.com']);
    });

    test('adding a domain the app already has changes nothing', async () => {
      const result = await new AddAppDomain(world.domains, OPEN_ACCESS).execute(OPERATOR, { appName: 'node-js-app', domain: 'node-js-app.dokku.me' });
      expect(result.domains).toEqual(['node-js-app.dokku.me']);
    });

    test('a domain another app serves is a Conflict naming that app, and is not added', async () => {
      const attempt = new AddAppDomain(world.domains, OPEN_ACCESS).execute(OPERATOR, { appName: 'python-app', domain: 'node-js-app.dokku.me' });
      await expect(attempt).rejects.toBeInstanceOf(Conflict);
      await expect(attempt).rejects.toThrow('already attached to app "node-js-app"');
      expect((await world.domains.allApps()).find((a) => a.app === 'python-app')?.domains).not.toContain('node-js-app.dokku.me');
    });

    test.each(['-evil.com', 'exa mple.com', 'http://x.com', '$(id).com'])('refuses the domain %p', async (domain) => {
      await expect(new AddAppDomain(world.domains, OPEN_ACCESS).execute(OPERATOR, { appName: 'node-js-app', domain })).rejects.toBeInstanceOf(InvalidArgument);
    });

    test('a missing app is AppNotFound', async () => {
      await expect(new AddAppDomain(world.domains, OPEN_ACCESS).execute(OPERATOR, { appName: 'no-such-app', domain: 'x.example.com' })).rejects.toBeInstanceOf(AppNotFound);
    });
  });

  describe('RemoveAppDomain', () => {
    test('removes a domain of the app', async () => {
      await new AddAppDomain(world.domains, OPEN_ACCESS).execute(OPERATOR, { appName: 'node-js-app', domain: 'www.example.com' });
      const result = await new RemoveAppDomain(world.domains, OPEN_ACCESS).execute(OPERATOR, { appName: 'node-js-app', domain: 'www.example.com' });
      expect(result.domains).toEqual(['node-js-app.dokku.me']);
    });

    test('a domain the app lacks is InvalidArgument listing the app\'s domains', async () => {
      const attempt = new RemoveAppDomain(world.domains, OPEN_ACCESS).execute(OPERATOR, { appName: 'node-js-app', domain: 'python-app.dokku.me' });
      await expect(attempt).rejects.toBeInstanceOf(InvalidArgument);
      await expect(attempt).rejects.toThrow('it has: node-js-app.dokku.me');
      expect((await world.domains.allApps()).find((a) => a.app === 'python-app')?.domains).toEqual(['python-app.dokku.me']);
    });
  });

  describe('global domains', () => {
    test('ListGlobalDomains lists them; AddGlobalDomain adds one and returns the new list', async () => {
      expect(await new ListGlobalDomains(world.domains, OPEN_ACCESS).execute(OPERATOR)).toEqual(['dokku.me']);
      expect(await new AddGlobalDomain(world.domains, OPEN_ACCESS).execute(OPERATOR, { domain: 'apps.example.org' })).toEqual(['dokku.me', 'apps.example.org']);
      expect(await new ListGlobalDomains(world.domains, OPEN_ACCESS).execute(OPERATOR)).toEqual(['dokku.me', 'apps.example.org']);
    });

    test('AddGlobalDomain refuses an invalid domain', async () => {
      await expect(new AddGlobalDomain(world.domains, OPEN_ACCESS).execute(OPERATOR, { domain: 'not a domain' })).rejects.toBeInstanceOf(InvalidArgument);
    });
  });
});

import { AppName } from '../../src/domain/app-name.js';
import { Conflict, AppNotFound } from '../../src/domain/domain-errors.js';
import { EmailAddress } from '../../src/domain/letsencrypt.js';
import { PluginNotInstalled, ServiceAlreadyExists, ServiceName, ServiceNotFound, type ServiceRef } from '../../src/domain/service.js';
import { PublicKey, RootRequired, SshKeyName } from '../../src/domain/ssh-key.js';
import type { DokkuApps } from '../../src/ports/dokku-apps.port.js';
import type { DokkuConfig } from '../../src/ports/dokku-config.port.js';
import type { DeployOperation, DeployOutcome, DokkuDeploys } from '../../src/ports/dokku-deploys.port.js';
import type { DokkuLetsencrypt } from '../../src/ports/dokku-letsencrypt.port.js';
import type { DokkuServer } from '../../src/ports/dokku-server.port.js';
import type { DokkuServices } from '../../src/ports/dokku-services.port.js';
import type { DokkuSshKeys } from '../../src/ports/dokku-ssh-keys.port.js';
import { withTimeout } from '../support/wait-for.js';

/**
 * The plugin ports' behavioural suite, for the sandbox host and for the SSH adapters against the stand-in behind a real
 * sshd. What a host under test provides: the letsencrypt and postgres plugins installed (redis not), new apps getting
 * <app>.dokku.me, Dokku running as its `dokku` user (ssh-keys:add/remove refused), and in Dokku's authorized_keys the
 * key the adapters log in with. Each test works on its own new app and service.
 */
export interface PluginContractSubject {
  readonly apps: DokkuApps;
  readonly config: DokkuConfig;
  readonly deploys: DokkuDeploys;
  readonly server: DokkuServer;
  readonly services: DokkuServices;
  readonly letsencrypt: DokkuLetsencrypt;
  readonly sshKeys: DokkuSshKeys;
  teardown(): Promise<void>;
}

const PUBLIC_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJV1GKIxVeDoCilcoYJ1Kobv70IVQnoMoo1mMRaH0dz6 alice@laptop';

export function describeDokkuPluginsContract(label: string, setup: () => Promise<PluginContractSubject>): void {
  describe(`Dokku plugin ports contract (${label})`, () => {
    let subject: PluginContractSubject;
    const runId = Date.now().toString(36);
    let counter = 0;
    const newApp = async (): Promise<AppName> => {
      const app = AppName.of(`plugins-${runId}-${++counter}`);
      await subject.apps.create(app);
      return app;
    };
    const postgres = (name = `db_${runId}_${++counter}`): ServiceRef => ({ type: 'postgres', name: ServiceName.of(name) });

    beforeAll(async () => {
      subject = await setup();
    });
    afterAll(async () => {
      await subject?.teardown();
    });

    async function run(operation: DeployOperation): Promise<{ output: string; outcome: DeployOutcome }> {
      const chunks: string[] = [];
      const handle = await subject.deploys.start(operation, (chunk) => chunks.push(chunk));
      const outcome = await withTimeout(handle.outcome, `the ${operation.kind} outcome`, 20_000);
      return { output: chunks.join('').replace(/\r\n/g, '\n'), outcome };
    }

    it('the plugin list shows the installed plugins', async () => {
      const names = (await subject.server.info()).plugins.filter((p) => p.enabled).map((p) => p.name);
      expect(names).toEqual(expect.arrayContaining(['letsencrypt', 'postgres']));
      expect(names).not.toContain('redis');
    });

    describe('services', () => {
      it('creates a service: running, with a DSN in the plugin\'s form, listed by name; twice is refused', async () => {
        const service = postgres();
        await subject.services.create(service);
        const info = await subject.services.info(service);
        const name = service.name.value;
        expect(info).toMatchObject({ type: 'postgres', name, status: 'running', links: [], exposedPorts: [] });
        expect(info.version).toMatch(/^postgres:\d/);
        expect(info.dsn).toMatch(new RegExp(`^postgres://postgres:[0-9a-f]{16,}@dokku-postgres-${name.replace(/_/g, '-')}:5432/${name}$`));
        expect(await subject.services.list('postgres')).toContain(name);
        await expect(subject.services.create(service)).rejects.toBeInstanceOf(ServiceAlreadyExists);
      });

      it('a missing service, and a plugin that is not installed, are told apart', async () => {
        await expect(subject.services.info(postgres('nope'))).rejects.toBeInstanceOf(ServiceNotFound);
        await expect(subject.services.list('redis')).rejects.toBeInstanceOf(PluginNotInstalled);
        const redis: ServiceRef = { type: 'redis', name: ServiceName.of('cache') };
        await expect(subject.services.info(redis)).rejects.toBeInstanceOf(PluginNotInstalled);
      });

      it('link sets the URL in the app config; linked twice is refused; destroy refuses while linked; unlink, then destroy', async () => {
        const app = await newApp();
        const service = postgres();
        await subject.services.create(service);
        const { dsn } = await subject.services.info(service);
        const linked = await run({ kind: 'service_link', app, service });
        expect(linked.outcome).toEqual({ type: 'exited', exitCode: 0 });
        expect(linked.output).toContain('-----> Setting config vars');
        expect(linked.output).toMatch(/DATABASE_URL: +postgres:\/\//);
        expect((await subject.config.get(app)).DATABASE_URL).toBe(dsn);
        expect((await subject.services.info(service)).links).toEqual([app.value]);

        const again = await run({ kind: 'service_link', app, service });
        expect(again.outcome).toEqual({ type: 'exited', exitCode: 1 });
        expect(again.output).toContain('Already linked as DATABASE_URL');
        await expect(subject.services.destroy(service)).rejects.toBeInstanceOf(Conflict);

        const unlinked = await run({ kind: 'service_unlink', app, service });
        expect(unlinked.outcome).toEqual({ type: 'exited', exitCode: 0 });
        expect(unlinked.output).toContain('-----> Unsetting DATABASE_URL');
        expect((await subject.config.get(app)).DATABASE_URL).toBeUndefined();
        const notLinked = await run({ kind: 'service_unlink', app, service });
        expect(notLinked.outcome).toEqual({ type: 'exited', exitCode: 1 });
        expect(notLinked.output).toContain(`Not linked to app ${app.value}`);

        await subject.services.destroy(service);
        await expect(subject.services.info(service)).rejects.toBeInstanceOf(ServiceNotFound);
        expect(await subject.services.list('postgres')).not.toContain(service.name.value);
      });

      it('logs: the container\'s recent output', async () => {
        const service = postgres();
        await subject.services.create(service);
        const lines = await subject.services.logs(service);
        expect(lines.length).toBeGreaterThan(0);
        expect(lines.join('\n')).toMatch(/ready to accept connections/);
        await expect(subject.services.logs(postgres('nope'))).rejects.toBeInstanceOf(ServiceNotFound);
      });
    });

    describe('letsencrypt', () => {
      it('enable fails without an email; with one it issues a certificate the status reports, until disabled', async () => {
        const app = await newApp();
        expect(await subject.letsencrypt.status(app)).toEqual({ active: false, email: null, expiresAt: null, autoRenew: false });
        const refused = await run({ kind: 'letsencrypt_enable', app });
        expect(refused.outcome).toEqual({ type: 'exited', exitCode: 1 });
        expect(refused.output).toContain('Cannot request a certificate without an e-mail address!');

        await subject.letsencrypt.setEmail(app, EmailAddress.of('ops@example.com'));
        expect((await subject.letsencrypt.status(app)).email).toBe('ops@example.com');
        const enabled = await run({ kind: 'letsencrypt_enable', app });
        expect(enabled.outcome).toEqual({ type: 'exited', exitCode: 0 });
        expect(enabled.output).toContain('Certificate retrieved successfully.');
        const status = await subject.letsencrypt.status(app);
        expect(status.active).toBe(true);
        expect(Date.parse(status.expiresAt!) - Date.now()).toBeGreaterThan(89 * 86_400_000);

        await subject.letsencrypt.disable(app);
        expect(await subject.letsencrypt.status(app)).toMatchObject({ active: false, expiresAt: null, email: 'ops@example.com' });
      });

      it('a missing app is AppNotFound', async () => {
        await expect(subject.letsencrypt.status(AppName.of(`plugins-${runId}-missing`))).rejects.toBeInstanceOf(AppNotFound);
      });
    });

    describe('ssh keys', () => {
      it('lists the key the adapters log in with, by fingerprint', async () => {
        const [keys, own] = await Promise.all([subject.sshKeys.list(), subject.sshKeys.loginFingerprints()]);
        expect(own).toHaveLength(1);
        expect(keys).toContainEqual({ name: 'admin', fingerprint: own[0] });
      });

      it('over the dokku user, add and remove are refused as root-only', async () => {
        await expect(subject.sshKeys.add(SshKeyName.of('alice'), PublicKey.of(PUBLIC_KEY))).rejects.toBeInstanceOf(RootRequired);
        await expect(subject.sshKeys.remove(SshKeyName.of('admin'))).rejects.toBeInstanceOf(RootRequired);
        expect((await subject.sshKeys.list()).map((k) => k.name)).toEqual(['admin']);
      });
    });
  });
}

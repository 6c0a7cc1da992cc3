import { createHash } from 'node:crypto';
import { SERVICE_PLUGINS, type ServiceType } from '../../../domain/service.js';
import type { PluginInfo } from '../../../ports/dokku-server.port.js';
import { hexId } from './sandbox-hash.js';

/** The plugins a host has beyond Dokku's core ones, with the versions the sandbox reports. */
export const PLUGIN_VERSIONS: Readonly<Record<ServiceType | 'letsencrypt', string>> = {
  letsencrypt: '0.25.2', postgres: '1.41.0', mysql: '1.43.0', mariadb: '1.40.0', redis: '1.39.1', mongo: '1.38.0',
};
/** What a host has by default: the same as the SSH test fixture's stand-in, so one contract suite fits both. */
export const DEFAULT_PLUGINS: readonly (ServiceType | 'letsencrypt')[] = ['letsencrypt', 'postgres'];

/** Each plugin's image (`<type>:info --version`), port, user in the DSN and scheme. */
const DATASTORES: Readonly<Record<ServiceType, { image: string; port: number; user: (name: string) => string; scheme: string; database: boolean }>> = {
  postgres: { image: 'postgres:17.5', port: 5432, user: () => 'postgres', scheme: 'postgres', database: true },
  mysql: { image: 'mysql:8.4.5', port: 3306, user: () => 'mysql', scheme: 'mysql', database: true },
  mariadb: { image: 'mariadb:11.7.2', port: 3306, user: () => 'mariadb', scheme: 'mysql', database: true },
  redis: { image: 'redis:8.0.2', port: 6379, user: () => '', scheme: 'redis', database: false },
  mongo: { image: 'mongo:8.0.10', port: 27017, user: (name) => name, scheme: 'mongodb', database: true },
};

export interface SandboxService {
  readonly type: ServiceType;
  readonly name: string;
  readonly password: string;
  readonly image: string;
  status: string;
  /** Linked apps, sorted. */
  links: string[];
}

/** The plugins' DSN: dokku-<type>-<name> as host (dots and underscores as dashes), the database name with underscores. */
export function serviceDsn(service: Pick<SandboxService, 'type' | 'name' | 'password'>): string {
  const store = DATASTORES[service.type];
  const host = `dokku-${service.type}-${service.name.replace(/[._]/g, '-')}`;
  const database = store.database ? `/${service.name.replace(/[.-]/g, '_')}` : '';
  return `${store.scheme}://${store.user(service.name)}:${service.password}@${host}:${store.port}${database}`;
}

/** The colours the plugins try, in order, for a second link's config variable (DOKKU_POSTGRES_AQUA_URL…). */
const ALIAS_COLOURS = ['AQUA', 'BLACK', 'BLUE', 'FUCHSIA', 'GRAY', 'GREEN', 'LIME', 'MAROON', 'NAVY', 'OLIVE', 'PURPLE', 'RED', 'SILVER', 'TEAL', 'WHITE', 'YELLOW'];

/** The config variable a link sets: <ALIAS>_URL, or the first free DOKKU_<TYPE>_<COLOUR>_URL when that is taken. */
export function linkVariable(type: ServiceType, config: ReadonlyMap<string, string>): string | undefined {
  const first = `${SERVICE_PLUGINS[type].defaultAlias}_URL`;
  if (!config.has(first)) return first;
  return ALIAS_COLOURS.map((colour) => `DOKKU_${type.toUpperCase()}_${colour}_URL`).find((name) => !config.has(name));
}

export interface SandboxSshKey {
  readonly name: string;
  readonly fingerprint: string;
}

/** `SHA256:<base64>` of a public key line's blob, as ssh-keygen prints it. */
export const fingerprintOf = (publicKey: string): string =>
  `SHA256:${createHash('sha256').update(Buffer.from(publicKey.split(' ')[1] ?? '', 'base64')).digest('base64').replace(/=+$/, '')}`;

/** The key the sandbox pretends this server logs in with. */
export const SANDBOX_LOGIN_KEY: SandboxSshKey = {
  name: 'admin',
  fingerprint: fingerprintOf(`ssh-ed25519 ${Buffer.from('the sandbox login key of dokku-mcp').toString('base64')}`),
};

export interface SandboxPluginOptions {
  /** The non-core plugins installed (default DEFAULT_PLUGINS). */
  readonly plugins?: readonly (ServiceType | 'letsencrypt')[];
  /** Whether Dokku accepts ssh-keys:add/remove from this server (it does only as root; default false). */
  readonly sshKeysAsRoot?: boolean;
}

/** The state of the simulated host's plugins: datastore services, Let's Encrypt and the SSH keys. */
export class SandboxPluginState {
  readonly installed: Set<string>;
  readonly sshKeysAsRoot: boolean;
  private readonly services = new Map<string, SandboxService>();
  globalEmail?: string;
  /** Per app: its own email, and the certificate's expiry (epoch ms) while active. */
  readonly letsencrypt = new Map<string, { email?: string; expiresAt?: number }>();
  autoRenew = false;
  sshKeys: SandboxSshKey[] = [SANDBOX_LOGIN_KEY];

  constructor(options: SandboxPluginOptions = {}) {
    this.installed = new Set(options.plugins ?? DEFAULT_PLUGINS);
    this.sshKeysAsRoot = options.sshKeysAsRoot ?? false;
  }

  pluginInfos(): PluginInfo[] {
    return [...this.installed].sort().map((name) => ({ name, version: PLUGIN_VERSIONS[name as ServiceType] ?? '1.0.0', enabled: true }));
  }

  listServices(type: ServiceType): SandboxService[] {
    return [...this.services.values()].filter((s) => s.type === type).sort((a, b) => (a.name < b.name ? -1 : 1));
  }
  findService(type: ServiceType, name: string): SandboxService | undefined {
    return this.services.get(`${type}:${name}`);
  }
  addService(type: ServiceType, name: string): SandboxService {
    const service: SandboxService = { type, name, password: hexId(`${type}/${name}/password`, 32), image: DATASTORES[type].image, status: 'running', links: [] };
    this.services.set(`${type}:${name}`, service);
    return service;
  }
  removeService(type: ServiceType, name: string): void {
    this.services.delete(`${type}:${name}`);
  }
  /** An app destroyed: the plugins' post-delete hook drops it from every service's links. */
  forgetApp(app: string): void {
    for (const service of this.services.values()) service.links = service.links.filter((a) => a !== app);
    this.letsencrypt.delete(app);
  }

  emailFor(app: string): string | undefined {
    return this.letsencrypt.get(app)?.email ?? this.globalEmail;
  }
}

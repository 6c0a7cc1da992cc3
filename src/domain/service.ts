import { DomainError, InvalidArgument } from './domain-errors.js';

/**
 * The official Dokku datastore plugins. They share one command shape (`<type>:create`, `<type>:link`…) and one body of
 * common code, so one set of tools serves all five.
 */
export const SERVICE_TYPES = ['postgres', 'mysql', 'mariadb', 'redis', 'mongo'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

/** What each plugin calls itself in its messages ($PLUGIN_SERVICE) and the config variable a link sets by default. */
export const SERVICE_PLUGINS: Readonly<Record<ServiceType, { readonly title: string; readonly defaultAlias: string }>> = {
  postgres: { title: 'Postgres', defaultAlias: 'DATABASE' },
  mysql: { title: 'MySQL', defaultAlias: 'DATABASE' },
  mariadb: { title: 'MariaDB', defaultAlias: 'DATABASE' },
  redis: { title: 'Redis', defaultAlias: 'REDIS' },
  mongo: { title: 'Mongo', defaultAlias: 'MONGO' },
};

export const isServiceType = (raw: unknown): raw is ServiceType => (SERVICE_TYPES as readonly unknown[]).includes(raw);

export function serviceType(raw: unknown, field = 'service_type'): ServiceType {
  if (isServiceType(raw)) return raw;
  throw new InvalidArgument(field, `one of ${SERVICE_TYPES.join(', ')}; got ${JSON.stringify(String(raw).slice(0, 40))}`);
}

/** How an operator installs a Dokku plugin, as root on the host (the plugins' own READMEs). */
export const pluginInstallCommand = (plugin: ServiceType | 'letsencrypt'): string =>
  plugin === 'letsencrypt'
    ? 'sudo dokku plugin:install https://github.com/dokku/dokku-letsencrypt.git'
    : `sudo dokku plugin:install https://github.com/dokku/dokku-${plugin}.git --name ${plugin}`;

/**
 * A service's name, by the plugins' rule (is_valid_service_name: `^[A-Za-z0-9_-]+$`; a dot is refused). Stricter in
 * two ways: no leading "-" (Dokku scans every word for --force), and at most 48 characters, so the container's DNS name
 * `dokku-<type>-<name>` stays one DNS label (63).
 */
export class ServiceName {
  static readonly RULE = 'a service name is letters, digits, "_" and "-" (the datastore plugins\' rule), not starting with "-", at most 48 characters (e.g. "shop-db")';
  private constructor(readonly value: string) {}

  static isValid(raw: unknown): boolean {
    return typeof raw === 'string' && raw.length <= 48 && /^[A-Za-z0-9_][A-Za-z0-9_-]*$/.test(raw);
  }

  static of(raw: string, field = 'service_name'): ServiceName {
    if (typeof raw !== 'string' || raw.length === 0) throw new InvalidArgument(field, `${ServiceName.RULE}; got an empty name`);
    if (!ServiceName.isValid(raw)) {
      throw new InvalidArgument(field, `${ServiceName.RULE}; got ${JSON.stringify(raw.slice(0, 60))}`);
    }
    return new ServiceName(raw);
  }
}

/** One service: its type and name, validated together. */
export interface ServiceRef {
  readonly type: ServiceType;
  readonly name: ServiceName;
}

/** "Postgres service "db"", as the plugins name one. */
export const describeService = (service: ServiceRef): string => `${SERVICE_PLUGINS[service.type].title} service "${service.name.value}"`;

export const MASKED_PASSWORD = '********';

/** A DSN (postgres://postgres:pw@host:5432/db, redis://:pw@host:6379) with its password masked; the rest kept. */
export function maskDsn(dsn: string): string {
  return dsn.replace(/^([a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:)[^\s/]+@/i, `$1${MASKED_PASSWORD}@`);
}

/** The password of a DSN, when it has one (to redact it from output that may echo it). */
export function dsnPassword(dsn: string): string | undefined {
  return /^[a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:([^\s/]+)@/i.exec(dsn)?.[1];
}

export class PluginNotInstalled extends DomainError {
  readonly code = 'PLUGIN_NOT_INSTALLED' as const;
  readonly hint: string;
  constructor(readonly plugin: ServiceType | 'letsencrypt') {
    super(`The dokku-${plugin} plugin is not installed on this host; nothing was run.`);
    this.hint = `An operator installs it on the host, as root: \`${pluginInstallCommand(plugin)}\`. Then call again.`;
    this.name = 'PluginNotInstalled';
  }
}

export class ServiceNotFound extends DomainError {
  readonly code = 'SERVICE_NOT_FOUND' as const;
  readonly hint: string;
  constructor(readonly service: ServiceRef) {
    super(`${describeService(service)} does not exist.`);
    this.hint = `Call list_services to see the ${service.type} services, or create_service to make one.`;
    this.name = 'ServiceNotFound';
  }
}

export class ServiceAlreadyExists extends DomainError {
  readonly code = 'SERVICE_ALREADY_EXISTS' as const;
  readonly hint = 'Choose another name, or use the existing service (get_service_info shows it).';
  constructor(readonly service: ServiceRef) {
    super(`${describeService(service)} already exists.`);
    this.name = 'ServiceAlreadyExists';
  }
}

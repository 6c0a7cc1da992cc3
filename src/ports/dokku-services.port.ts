import type { ServiceRef, ServiceType } from '../domain/service.js';

/** What `<type>:info <name>` says of a service. `dsn` carries the password: the use case masks it. */
export interface ServiceInfo {
  readonly type: ServiceType;
  readonly name: string;
  /** docker's state: running, exited, paused, restarting… ("missing" when the container is gone). */
  readonly status: string;
  /** The image it runs, e.g. "postgres:17.5". */
  readonly version: string;
  readonly dsn: string;
  /** Apps linked to it, sorted. */
  readonly links: readonly string[];
  /** "5432->12345" pairs when exposed on the host; empty otherwise. */
  readonly exposedPorts: readonly string[];
}

/**
 * The official datastore plugins (dokku-postgres, -mysql, -mariadb, -redis, -mongo). Linking and unlinking restart the
 * app, so they run as deploy operations (DokkuDeploys); whether a plugin is installed, DokkuServer's plugin list says.
 * Every method fails with PluginNotInstalled when the type's plugin is missing, HostUnreachable when the host is.
 */
export const DokkuServices = Symbol('DokkuServices');
export interface DokkuServices {
  /** The names of the type's services, sorted. */
  list(type: ServiceType): Promise<string[]>;
  /** Fails with ServiceNotFound. */
  info(service: ServiceRef): Promise<ServiceInfo>;
  /** Creates it (pulls the image, starts the container). Fails with ServiceAlreadyExists. */
  create(service: ServiceRef): Promise<void>;
  /** Deletes the service with its data (no prompt: the confirmation is the caller's). Fails with ServiceNotFound, Conflict while linked. */
  destroy(service: ServiceRef): Promise<void>;
  /** The container's recent output (the plugin's `docker logs --tail 100`), raw lines oldest first. Fails with ServiceNotFound. */
  logs(service: ServiceRef): Promise<string[]>;
}

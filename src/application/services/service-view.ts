import { maskDsn } from '../../domain/service.js';
import type { ServiceInfo } from '../../ports/dokku-services.port.js';

/** A service as a caller may see it: the DSN's password masked unless revealed, links to apps it cannot see left out. */
export interface ServiceView {
  readonly type: string;
  readonly name: string;
  readonly status: string;
  readonly version: string;
  readonly dsn: string;
  readonly revealed: boolean;
  readonly links: readonly string[];
  /** How many linked apps belong to someone else (not named). */
  readonly otherLinks: number;
  readonly exposedPorts: readonly string[];
}

export function serviceView(info: ServiceInfo, sees: (app: string) => boolean, reveal = false): ServiceView {
  const links = info.links.filter(sees);
  return {
    type: info.type,
    name: info.name,
    status: info.status,
    version: info.version,
    dsn: reveal ? info.dsn : maskDsn(info.dsn),
    revealed: reveal,
    links,
    otherLinks: info.links.length - links.length,
    exposedPorts: info.exposedPorts,
  };
}

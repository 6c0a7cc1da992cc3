import { Conflict } from '../../../domain/domain-errors.js';
import { describeService, PluginNotInstalled, ServiceAlreadyExists, ServiceNotFound, type ServiceRef, type ServiceType } from '../../../domain/service.js';
import type { DokkuServices, ServiceInfo } from '../../../ports/dokku-services.port.js';
import type { SandboxDokkuHost } from './sandbox-dokku-host.js';
import { hash32 } from './sandbox-hash.js';
import { serviceDsn, type SandboxService } from './sandbox-plugins.js';

/** What each datastore prints once started, as `docker logs` shows it. */
const STARTUP: Readonly<Record<ServiceType, readonly string[]>> = {
  postgres: ['PostgreSQL init process complete; ready for start up.', 'LOG:  starting PostgreSQL 17.5 on x86_64-pc-linux-gnu', 'LOG:  listening on IPv4 address "0.0.0.0", port 5432', 'LOG:  database system is ready to accept connections', 'LOG:  checkpoint starting: time', 'LOG:  checkpoint complete: wrote 3 buffers (0.0%)'],
  mysql: ['[System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Port: 3306', '[Warning] [MY-010068] [Server] CA certificate ca.pem is self signed.'],
  mariadb: ['[Note] mariadbd: ready for connections.', "Version: '11.7.2-MariaDB'  socket: '/run/mysqld/mysqld.sock'  port: 3306"],
  redis: ['* Server initialized', '* Ready to accept connections tcp', '* 1 changes in 3600 seconds. Saving...', '* Background saving terminated with success'],
  mongo: ['{"t":{"$date":"2026-08-01T10:00:00.000+00:00"},"s":"I","c":"NETWORK","msg":"Waiting for connections","attr":{"port":27017}}'],
};

/** DokkuServices on the simulated host: the same refusals as the plugins (and the SSH adapter's mapping of them). */
export class SandboxDokkuServices implements DokkuServices {
  constructor(private readonly host: SandboxDokkuHost) {}

  async list(type: ServiceType): Promise<string[]> {
    this.installed(type);
    return this.host.plugin.listServices(type).map((s) => s.name);
  }

  async info(service: ServiceRef): Promise<ServiceInfo> {
    const found = this.find(service);
    return { type: found.type, name: found.name, status: found.status, version: found.image, dsn: serviceDsn(found), links: [...found.links], exposedPorts: [] };
  }

  async create(service: ServiceRef): Promise<void> {
    this.installed(service.type);
    if (this.host.plugin.findService(service.type, service.name.value)) throw new ServiceAlreadyExists(service);
    this.host.plugin.addService(service.type, service.name.value);
  }

  async destroy(service: ServiceRef): Promise<void> {
    const found = this.find(service);
    if (found.links.length > 0) {
      throw new Conflict(`${describeService(service)} is linked to an app; a linked service cannot be destroyed, and nothing was destroyed.`, 'Unlink it first (unlink_service), then destroy it.');
    }
    this.host.plugin.removeService(service.type, service.name.value);
  }

  async logs(service: ServiceRef): Promise<string[]> {
    const found = this.find(service);
    const lines = STARTUP[found.type];
    const count = 6 + (hash32(found.name) % 10);
    return Array.from({ length: count }, (_, i) => lines[i % lines.length]!);
  }

  private installed(type: ServiceType): void {
    this.host.assertReachable();
    if (!this.host.plugin.installed.has(type)) throw new PluginNotInstalled(type);
  }

  private find(service: ServiceRef): SandboxService {
    this.installed(service.type);
    const found = this.host.plugin.findService(service.type, service.name.value);
    if (!found) throw new ServiceNotFound(service);
    return found;
  }
}

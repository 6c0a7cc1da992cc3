import type { DokkuServer, HostCheckReport, ServerInfo } from '../../../ports/dokku-server.port.js';
import type { SandboxDokkuHost } from './sandbox-dokku-host.js';

/** DokkuServer on the simulated host; `simulated: true` lets clients tell a demo from a real host. */
export class SandboxDokkuServer implements DokkuServer {
  constructor(private readonly host: SandboxDokkuHost) {}

  async info(): Promise<ServerInfo> {
    this.host.assertReachable();
    return { dokkuVersion: this.host.dokkuVersion, host: 'sandbox', simulated: true, plugins: this.host.plugins };
  }

  async check(): Promise<HostCheckReport> {
    this.host.assertReachable();
    return { host: 'sandbox', dokkuVersion: this.host.dokkuVersion, simulated: true, hostKey: 'none (simulated host)' };
  }
}

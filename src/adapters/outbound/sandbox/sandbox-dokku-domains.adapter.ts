import type { AppName } from '../../../domain/app-name.js';
import type { DomainName } from '../../../domain/dokku-values.js';
import type { AppDomains, DokkuDomains } from '../../../ports/dokku-domains.port.js';
import type { SandboxDokkuHost } from './sandbox-dokku-host.js';

/** DokkuDomains on the simulated host. Like Dokku, adding a present domain or removing an absent one is a no-op. */
export class SandboxDokkuDomains implements DokkuDomains {
  constructor(private readonly host: SandboxDokkuHost) {}

  async ofApp(app: AppName): Promise<AppDomains> {
    this.host.assertReachable();
    return this.describe(app.value);
  }

  async allApps(): Promise<AppDomains[]> {
    this.host.assertReachable();
    return this.host.appNames().map((name) => this.describe(name));
  }

  async add(app: AppName, domain: DomainName): Promise<void> {
    this.host.assertReachable();
    const state = this.host.app(app.value);
    if (!state.domains.includes(domain.value)) state.domains.push(domain.value);
  }

  async remove(app: AppName, domain: DomainName): Promise<void> {
    this.host.assertReachable();
    const state = this.host.app(app.value);
    state.domains = state.domains.filter((d) => d !== domain.value);
  }

  async listGlobal(): Promise<string[]> {
    this.host.assertReachable();
    return [...this.host.globalDomains];
  }

  async addGlobal(domain: DomainName): Promise<void> {
    this.host.assertReachable();
    if (!this.host.globalDomains.includes(domain.value)) this.host.globalDomains.push(domain.value);
  }

  private describe(name: string): AppDomains {
    const state = this.host.app(name);
    return { app: name, enabled: true, domains: [...state.domains], globalDomains: [...this.host.globalDomains] };
  }
}

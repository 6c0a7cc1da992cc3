import type { AppName } from '../../../domain/app-name.js';
import type { EmailAddress } from '../../../domain/letsencrypt.js';
import { PluginNotInstalled } from '../../../domain/service.js';
import type { DokkuLetsencrypt, LetsencryptStatus } from '../../../ports/dokku-letsencrypt.port.js';
import type { SandboxDokkuHost } from './sandbox-dokku-host.js';

/** DokkuLetsencrypt on the simulated host (letsencrypt:enable is a deploy operation: see sandbox-plugin-plans.ts). */
export class SandboxDokkuLetsencrypt implements DokkuLetsencrypt {
  constructor(private readonly host: SandboxDokkuHost) {}

  async status(app: AppName): Promise<LetsencryptStatus> {
    this.ready(app);
    const expiresAt = this.host.plugin.letsencrypt.get(app.value)?.expiresAt;
    const active = expiresAt !== undefined && expiresAt > this.host.now();
    return {
      active,
      email: this.host.plugin.emailFor(app.value) ?? null,
      expiresAt: active ? new Date(expiresAt).toISOString() : null,
      autoRenew: this.host.plugin.autoRenew,
    };
  }

  async setEmail(app: AppName, email: EmailAddress): Promise<void> {
    this.ready(app);
    this.host.plugin.letsencrypt.set(app.value, { ...this.host.plugin.letsencrypt.get(app.value), email: email.value });
  }

  async disable(app: AppName): Promise<void> {
    this.ready(app);
    const entry = this.host.plugin.letsencrypt.get(app.value);
    if (entry) this.host.plugin.letsencrypt.set(app.value, { email: entry.email });
  }

  private ready(app: AppName): void {
    this.host.assertReachable();
    if (!this.host.plugin.installed.has('letsencrypt')) throw new PluginNotInstalled('letsencrypt');
    this.host.app(app.value);
  }
}

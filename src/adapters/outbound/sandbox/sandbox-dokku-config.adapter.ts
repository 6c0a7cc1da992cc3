import type { AppName } from '../../../domain/app-name.js';
import type { EnvKey, EnvValue } from '../../../domain/dokku-values.js';
import type { DokkuConfig } from '../../../ports/dokku-config.port.js';
import type { SandboxDokkuHost } from './sandbox-dokku-host.js';

/** DokkuConfig on the simulated host: values are kept exactly (the SSH adapter sends them base64-encoded to match). */
export class SandboxDokkuConfig implements DokkuConfig {
  constructor(private readonly host: SandboxDokkuHost) {}

  async get(app: AppName): Promise<Record<string, string>> {
    this.host.assertReachable();
    // fromEntries defines own properties, so a key such as "__proto__" stays an ordinary entry.
    return Object.fromEntries([...this.host.app(app.value).config].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  async setWithoutRestart(app: AppName, vars: ReadonlyArray<readonly [EnvKey, EnvValue]>): Promise<void> {
    this.host.assertReachable();
    const config = this.host.app(app.value).config;
    for (const [key, value] of vars) config.set(key.value, value.value);
  }

  async unsetWithoutRestart(app: AppName, keys: readonly EnvKey[]): Promise<void> {
    this.host.assertReachable();
    const config = this.host.app(app.value).config;
    for (const key of keys) config.delete(key.value);
  }
}

import type { AppName } from '../domain/app-name.js';
import type { DomainName } from '../domain/dokku-values.js';

export interface AppDomains {
  readonly app: string;
  readonly enabled: boolean;
  readonly domains: readonly string[];
  readonly globalDomains: readonly string[];
}

/** Virtual hosts of apps and the global domains. */
export const DokkuDomains = Symbol('DokkuDomains');
export interface DokkuDomains {
  /** The app's domains. Fails with AppNotFound, HostUnreachable. */
  ofApp(app: AppName): Promise<AppDomains>;
  /** Every app's domains, to find who owns a domain. Fails with HostUnreachable. */
  allApps(): Promise<AppDomains[]>;
  /** Adds a domain to an app. Fails with AppNotFound, DokkuCommandFailed, HostUnreachable. */
  add(app: AppName, domain: DomainName): Promise<void>;
  /** Removes a domain from an app. Fails with AppNotFound, HostUnreachable. */
  remove(app: AppName, domain: DomainName): Promise<void>;
  /** Global domains. Fails with HostUnreachable. */
  listGlobal(): Promise<string[]>;
  /** Adds a global domain. Fails with DokkuCommandFailed, HostUnreachable. */
  addGlobal(domain: DomainName): Promise<void>;
}

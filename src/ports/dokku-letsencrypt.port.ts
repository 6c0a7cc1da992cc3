import type { AppName } from '../domain/app-name.js';
import type { EmailAddress } from '../domain/letsencrypt.js';

export interface LetsencryptStatus {
  /** The app serves a Let's Encrypt certificate. */
  readonly active: boolean;
  /** The address in effect (the app's, else the global one); null when none is set. */
  readonly email: string | null;
  /** When the certificate expires (ISO 8601); null when not active. */
  readonly expiresAt: string | null;
  /** Whether the host's daily auto-renew cron job is installed; null when this plugin version does not say. */
  readonly autoRenew: boolean | null;
}

/**
 * The dokku-letsencrypt plugin. Enabling restarts the proxy and takes a while, so it runs as a deploy operation
 * (DokkuDeploys). Every method fails with PluginNotInstalled when the plugin is missing, AppNotFound, HostUnreachable.
 */
export const DokkuLetsencrypt = Symbol('DokkuLetsencrypt');
export interface DokkuLetsencrypt {
  /** `letsencrypt:report <app>`. */
  status(app: AppName): Promise<LetsencryptStatus>;
  /** `letsencrypt:set <app> email <address>`. */
  setEmail(app: AppName, email: EmailAddress): Promise<void>;
  /** `letsencrypt:disable <app>`: removes the certificate; the app is served over plain HTTP again. */
  disable(app: AppName): Promise<void>;
}

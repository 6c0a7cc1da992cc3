import type { AppName } from '../domain/app-name.js';
import type { EnvKey, EnvValue } from '../domain/dokku-values.js';

/** App environment variables, changed without a restart (a restarting change is a DeployOperation). */
export const DokkuConfig = Symbol('DokkuConfig');
export interface DokkuConfig {
  /** All variables of the app. Fails with AppNotFound, HostUnreachable. */
  get(app: AppName): Promise<Record<string, string>>;
  /** Sets variables with --no-restart. Fails with AppNotFound, HostUnreachable. */
  setWithoutRestart(app: AppName, vars: ReadonlyArray<readonly [EnvKey, EnvValue]>): Promise<void>;
  /** Unsets variables with --no-restart. Fails with AppNotFound, HostUnreachable. */
  unsetWithoutRestart(app: AppName, keys: readonly EnvKey[]): Promise<void>;
}

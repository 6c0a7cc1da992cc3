export interface PluginInfo {
  readonly name: string;
  readonly version: string;
  readonly enabled: boolean;
}

export interface ServerInfo {
  /** e.g. "0.38.27" */
  readonly dokkuVersion: string;
  /** host:port for SSH, or "sandbox". */
  readonly host: string;
  readonly simulated: boolean;
  readonly plugins: readonly PluginInfo[];
}

/** Facts about the Dokku host itself. */
export const DokkuServer = Symbol('DokkuServer');
export interface DokkuServer {
  /** Version, host and plugins. Fails with HostUnreachable. */
  info(): Promise<ServerInfo>;
}

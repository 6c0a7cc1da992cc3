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

/** What a successful start-up check found. */
export interface HostCheckReport {
  /** host:port for SSH, or "sandbox". */
  readonly host: string;
  readonly dokkuVersion: string;
  readonly simulated: boolean;
  /** How the host's identity was checked, e.g. "host key matches ssh.host_key_fingerprint". */
  readonly hostKey: string;
}

/** Facts about the Dokku host itself. */
export const DokkuServer = Symbol('DokkuServer');
export interface DokkuServer {
  /** Version, host and plugins. Fails with HostUnreachable. */
  info(): Promise<ServerInfo>;
  /**
   * The start-up check: the key can be read, the pin is real, the host answers with the pinned key, accepts the login
   * and runs `version`. Fails with HostUnreachable (HostNotUsable for a key, pin or login problem) whose message names
   * the key, file or host:port, the cause and the fix; every later command fails the same way until the cause is fixed.
   */
  check(): Promise<HostCheckReport>;
}

import { createSshDokkuAdapters } from '../../../../src/adapters/outbound/ssh/create-ssh-dokku-adapters.js';
import type { SshOptions } from '../../../../src/adapters/outbound/ssh/ssh-options.js';
import { Sanitizer } from '../../../../src/domain/sanitizer.js';
import type { Logger } from '../../../../src/ports/logger.port.js';
import type { SshdFixture } from '../../../support/sshd-fixture.js';

/** A logger that records, so tests can assert on warnings without printing. */
export function recordingLogger(): Logger & { entries: Array<{ level: string; msg: string; meta?: Record<string, unknown> }> } {
  const entries: Array<{ level: string; msg: string; meta?: Record<string, unknown> }> = [];
  const at = (level: string) => (msg: string, meta?: Record<string, unknown>) => void entries.push({ level, msg, meta });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export function sshOptions(fixture: SshdFixture, overrides: Partial<SshOptions> = {}): SshOptions {
  return {
    host: fixture.host,
    port: fixture.port,
    user: fixture.user,
    keyPath: fixture.clientKeyPath,
    hostKeyFingerprint: fixture.hostKeyFingerprint,
    strictHostKey: true,
    maxChannels: 8,
    connectTimeoutMs: 5000,
    commandTimeoutMs: 15000,
    deployTimeoutMs: 60000,
    keepaliveIntervalMs: 5000,
    ...overrides,
  };
}

export function sshAdapters(fixture: SshdFixture, overrides: Partial<SshOptions> = {}, logger: Logger = recordingLogger()) {
  return createSshDokkuAdapters(sshOptions(fixture, overrides), { sanitizer: new Sanitizer(), logger });
}

/** A TCP relay in front of the fixture's sshd (see TcpProxy). */
export { TcpProxy as TcpRelay } from '../../../support/tcp-proxy.js';

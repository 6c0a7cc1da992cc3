import type { Container } from 'inversify';
import { AppName } from '../../src/domain/app-name.js';
import { ServiceName } from '../../src/domain/service.js';
import { DokkuApps } from '../../src/ports/dokku-apps.port.js';
import { DokkuBuilds } from '../../src/ports/dokku-builds.port.js';
import { DokkuConfig } from '../../src/ports/dokku-config.port.js';
import { DokkuDeploys } from '../../src/ports/dokku-deploys.port.js';
import { DokkuDomains } from '../../src/ports/dokku-domains.port.js';
import { DokkuLogs } from '../../src/ports/dokku-logs.port.js';
import { DokkuServer } from '../../src/ports/dokku-server.port.js';
import { DokkuLetsencrypt } from '../../src/ports/dokku-letsencrypt.port.js';
import { DokkuServices } from '../../src/ports/dokku-services.port.js';
import { DokkuSshKeys } from '../../src/ports/dokku-ssh-keys.port.js';

/** One call that reached the (sandbox) host: port, method, and its arguments as JSON (app names as plain strings). */
export interface HostCall {
  readonly port: string;
  readonly method: string;
  readonly args: string;
}

const PORTS = { DokkuApps, DokkuBuilds, DokkuConfig, DokkuDeploys, DokkuDomains, DokkuLogs, DokkuServer, DokkuServices, DokkuLetsencrypt, DokkuSshKeys } as const;

/**
 * Wraps every Dokku port bound in `container` so that each call is recorded before it goes on to the real adapter:
 * "nothing reached the host" is then an empty list. Call before anything resolves the ports (HarnessOptions.configure).
 */
export function recordHostCalls(container: Container): HostCall[] {
  const calls: HostCall[] = [];
  for (const [port, token] of Object.entries(PORTS)) {
    const inner = container.get<object>(token);
    const recording = new Proxy(inner, {
      get(target, property) {
        const value = Reflect.get(target, property) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push({ port, method: String(property), args: JSON.stringify(args, (_k, v: unknown) => (v instanceof AppName || v instanceof ServiceName ? v.value : v)) });
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    container.rebind(token).toConstantValue(recording as never);
  }
  return calls;
}

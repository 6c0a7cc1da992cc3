import type { Caller, Scope } from './caller.js';
import { AppPattern } from './app-pattern.js';

/**
 * The tenants of this server and the apps each owns, by name pattern (`tenants:` in the config file). An app belongs to
 * the one tenant whose patterns match its name (patterns of two tenants never overlap: the configuration refuses that),
 * or to nobody. With no tenants configured nothing is restricted.
 */
export class Tenancy {
  private readonly tenants: ReadonlyMap<string, readonly AppPattern[]>;

  constructor(tenants: Readonly<Record<string, readonly string[]>> = {}) {
    this.tenants = new Map(Object.entries(tenants).map(([name, apps]) => [name, apps.map((p) => AppPattern.of(p))]));
  }

  get names(): string[] {
    return [...this.tenants.keys()];
  }

  /** The patterns of a configured tenant ([] for an unknown one). */
  patternsOf(tenant: string): readonly AppPattern[] {
    return this.tenants.get(tenant) ?? [];
  }

  /** Whether a caller acting for `tenant` (null: every app) sees the app named `app`. */
  sees(tenant: string | null, app: string): boolean {
    return tenant === null || this.patternsOf(tenant).some((pattern) => pattern.matches(app));
  }
}

/** `write` includes `read`; `admin` includes both. */
export function grants(caller: Caller, scope: Scope): boolean {
  if (caller.scopes.includes('admin')) return true;
  if (scope === 'read') return caller.scopes.includes('read') || caller.scopes.includes('write');
  return caller.scopes.includes(scope);
}

/** The scopes a token's configured list amounts to, implied ones added: [write] is [read, write]. */
export function expandScopes(scopes: readonly Scope[]): Scope[] {
  const all: Scope[] = ['read', 'write', 'admin'];
  const top = Math.max(...scopes.map((scope) => all.indexOf(scope)));
  return all.slice(0, top + 1);
}

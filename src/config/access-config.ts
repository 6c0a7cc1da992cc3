import { createHash } from 'node:crypto';
import { AppPattern } from '../domain/app-pattern.js';
import type { Scope } from '../domain/caller.js';
import { isDomainError } from '../domain/domain-errors.js';
import type { RawConfig } from './config-schema.js';

/** A configured bearer token: its hash (given) or its value (read from the environment at start-up), and its grant. */
export interface TokenConfig {
  readonly id: string;
  readonly tenant: string | null;
  readonly scopes: Scope[];
  readonly secret: { readonly sha256: string } | { readonly env: string; readonly value: string };
}

/** auth and tenants, checked. */
export interface AccessConfig {
  tokens: TokenConfig[];
  rateLimit: { perMinute: number; burst: number };
  maxSessionsPerTenant: number;
  stdioTenant: string | null;
  /** Tenant name → its app name patterns. */
  tenants: Record<string, string[]>;
}

const TOKEN_KEYS = ['id', 'sha256', 'env', 'tenant', 'scopes'];
const SCOPES: readonly Scope[] = ['read', 'write', 'admin'];
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const kind = (v: unknown): string => (Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`);

/**
 * Checks `auth` and `tenants` entry by entry; each problem names the entry (auth.tokens[1] (id "shop-bot"),
 * tenants.shop.apps[0]) and the fix. A token's hash or value is never repeated in a message.
 */
export function accessConfig(raw: RawConfig, env: NodeJS.ProcessEnv): { config: AccessConfig; problems: string[] } {
  const problems: string[] = [];
  const tenants = checkTenants(raw.tenants, problems);
  const checked = raw.auth.tokens.map((entry, index) => checkToken(entry, index, tenants, env, problems));
  duplicates(checked, problems);
  const tokens = checked.filter((token): token is TokenConfig => token !== undefined);
  const stdioTenant = raw.auth.stdio_tenant === null || raw.auth.stdio_tenant.trim() === '' ? null : raw.auth.stdio_tenant.trim();
  if (stdioTenant !== null && !(stdioTenant in tenants)) {
    problems.push(`auth.stdio_tenant: tenant "${stdioTenant}" is not configured under tenants (${configured(tenants)}); add it there, or set auth.stdio_tenant to null for every app.`);
  }
  return {
    config: {
      tokens,
      rateLimit: { perMinute: raw.auth.rate_limit.per_minute, burst: raw.auth.rate_limit.burst },
      maxSessionsPerTenant: raw.auth.max_sessions_per_tenant,
      stdioTenant,
      tenants,
    },
    problems,
  };
}

const configured = (tenants: Record<string, unknown>): string => {
  const names = Object.keys(tenants);
  return names.length ? `configured: ${names.join(', ')}` : 'none is configured';
};

function checkTenants(raw: Record<string, unknown>, problems: string[]): Record<string, string[]> {
  const tenants: Record<string, string[]> = {};
  const patterns: { tenant: string; pattern: AppPattern }[] = [];
  for (const [name, value] of Object.entries(raw)) {
    const at = `tenants.${name}`;
    if (!NAME.test(name)) problems.push(`${at}: a tenant name is 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit.`);
    if (!isMapping(value) || !Array.isArray(value.apps) || value.apps.length === 0) {
      problems.push(`${at}: must be a mapping with apps: a non-empty list of app names or globs (e.g. apps: ["shop-*", "billing"]); got ${kind(value)}.`);
      continue;
    }
    const unknown = Object.keys(value).filter((key) => key !== 'apps');
    if (unknown.length) problems.push(`${at}: unknown key ${unknown.map((k) => `'${k}'`).join(', ')}; a tenant has only apps.`);
    tenants[name] = [];
    value.apps.forEach((entry: unknown, index: number) => {
      try {
        const pattern = AppPattern.of(entry as string, `${at}.apps[${index}]`);
        tenants[name]!.push(pattern.source);
        patterns.push({ tenant: name, pattern });
      } catch (error) {
        if (!isDomainError(error)) throw error;
        problems.push(`${error.message}.`);
      }
    });
  }
  // Patterns of one tenant may overlap each other; two tenants may not share an app.
  for (let i = 0; i < patterns.length; i++) {
    for (let j = i + 1; j < patterns.length; j++) {
      const a = patterns[i]!;
      const b = patterns[j]!;
      if (a.tenant === b.tenant) continue;
      const both = a.pattern.overlapWith(b.pattern);
      if (both !== undefined) {
        problems.push(
          `tenants: "${a.tenant}" ("${a.pattern}") and "${b.tenant}" ("${b.pattern}") overlap: both match an app named "${both}"; an app must belong to one tenant only. Narrow one of the patterns.`,
        );
      }
    }
  }
  return tenants;
}

function checkToken(entry: unknown, index: number, tenants: Record<string, string[]>, env: NodeJS.ProcessEnv, problems: string[]): TokenConfig | undefined {
  let at = `auth.tokens[${index}]`;
  if (!isMapping(entry)) {
    problems.push(`${at}: must be a mapping with id, sha256 or env, tenant (optional) and scopes; got ${kind(entry)}.`);
    return undefined;
  }
  const before = problems.length;
  const unknown = Object.keys(entry).filter((key) => !TOKEN_KEYS.includes(key));
  if (unknown.length) problems.push(`${at}: unknown key ${unknown.map((k) => `'${k}'`).join(', ')} (a token takes ${TOKEN_KEYS.join(', ')}).`);
  const id = entry.id;
  if (typeof id !== 'string' || !NAME.test(id)) {
    problems.push(`${at}: id is required: a name for the token, shown in logs and the audit (1-64 letters, digits, ".", "_" or "-").`);
  } else {
    at = `${at} (id "${id}")`;
  }
  const tenant = entry.tenant === undefined || entry.tenant === null ? null : entry.tenant;
  if (tenant !== null && (typeof tenant !== 'string' || !(tenant in tenants))) {
    problems.push(`${at}: tenant ${JSON.stringify(tenant)} is not configured under tenants (${configured(tenants)}); add it there, fix the name, or leave tenant out for a token that sees every app.`);
  }
  const scopes = entry.scopes;
  if (!Array.isArray(scopes) || scopes.length === 0 || scopes.some((s) => !SCOPES.includes(s as Scope))) {
    problems.push(`${at}: scopes must be a non-empty list of ${SCOPES.join(', ')} (write includes read; admin includes both); got ${JSON.stringify(scopes) ?? 'nothing'}.`);
  } else if (tenant !== null && scopes.includes('admin')) {
    problems.push(`${at}: the admin scope cannot go with a tenant: admin acts on the whole host (global domains, server info, metrics), beyond any tenant's apps. Drop admin, or the tenant for an operator's token.`);
  }
  const secret = tokenSecret(entry, at, env, problems);
  if (problems.length > before || secret === undefined) return undefined;
  return { id: id as string, tenant: tenant as string | null, scopes: [...(scopes as Scope[])], secret };
}

function tokenSecret(entry: Record<string, unknown>, at: string, env: NodeJS.ProcessEnv, problems: string[]): TokenConfig['secret'] | undefined {
  const { sha256, env: envName } = entry;
  if ((sha256 === undefined) === (envName === undefined)) {
    problems.push(`${at}: give exactly one of sha256 (the hex SHA-256 of the token, e.g. from \`printf %s "$TOKEN" | sha256sum\`) or env (the environment variable holding the token).`);
    return undefined;
  }
  if (sha256 !== undefined) {
    if (typeof sha256 === 'string' && SHA256_HEX.test(sha256)) return { sha256: sha256.toLowerCase() };
    // Not echoed: an operator may have pasted the token itself here.
    const got = typeof sha256 === 'string' ? `${sha256.length} characters` : kind(sha256).split(' ')[0];
    problems.push(`${at}: sha256 must be 64 hexadecimal characters, the SHA-256 of the token (\`printf %s "$TOKEN" | sha256sum\`); got ${got}.`);
    return undefined;
  }
  if (typeof envName !== 'string' || !ENV_NAME.test(envName)) {
    problems.push(`${at}: env must name an environment variable (letters, digits, underscores); got ${kind(envName)}.`);
    return undefined;
  }
  const value = env[envName];
  if (value === undefined || value === '') {
    problems.push(`${at}: the environment variable ${envName} is not set (or empty); set it to the token before starting dokku-mcp.`);
    return undefined;
  }
  return { env: envName, value };
}

function duplicates(tokens: readonly (TokenConfig | undefined)[], problems: string[]): void {
  const seen = new Map<string, string>();
  tokens.forEach((token, index) => {
    if (token === undefined) return;
    const at = `auth.tokens[${index}]`;
    if (seen.has(`id:${token.id}`)) problems.push(`${at}: id "${token.id}" is used by ${seen.get(`id:${token.id}`)} too; each token needs an id of its own.`);
    else seen.set(`id:${token.id}`, at);
    // Same secret twice: which grant a request gets would depend on the order of the list.
    const secret = 'sha256' in token.secret ? token.secret.sha256 : createHash('sha256').update(token.secret.value, 'utf8').digest('hex');
    if (seen.has(secret)) problems.push(`${at} (id "${token.id}"): the same token as ${seen.get(secret)}; give each entry its own token.`);
    else seen.set(secret, `${at} (id "${token.id}")`);
  });
}

import { InvalidArgument } from './domain-errors.js';

/**
 * Validated values that travel to Dokku. Each rule is stricter than Dokku's where a looser value could be abused:
 * no value may begin with "-" (Dokku scans every argument for --force/--quiet), and values that reach `git*` commands
 * (sent unquoted, see the SSH adapter) may contain nothing that needs quoting.
 */
const describe = (raw: unknown): string => JSON.stringify(String(raw).slice(0, 120));
const text = (raw: unknown, field: string): string => {
  if (typeof raw !== 'string' || raw.length === 0) throw new InvalidArgument(field, 'a non-empty string is required');
  return raw;
};

const utf8Bytes = (s: string): number => new TextEncoder().encode(s).length;

/** A Procfile process type such as `web` or `worker`. */
export class ProcessType {
  static readonly RULE = 'a process type is letters, digits, "_" or "-", starting with a letter or digit (e.g. "web", "worker")';
  private constructor(readonly value: string) {}
  static of(raw: string, field = 'process_type'): ProcessType {
    const v = text(raw, field);
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(v)) throw new InvalidArgument(field, `${ProcessType.RULE}; got ${describe(v)}`);
    return new ProcessType(v);
  }
}

/** An environment variable name, Dokku's `^[a-zA-Z_][a-zA-Z0-9_]*$`. */
export class EnvKey {
  static readonly RULE = 'a config key is letters, digits and "_", not starting with a digit (e.g. "DATABASE_URL")';
  private constructor(readonly value: string) {}
  static of(raw: string, field = 'key'): EnvKey {
    const v = text(raw, field);
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,255}$/.test(v)) throw new InvalidArgument(field, `${EnvKey.RULE}; got ${describe(v)}`);
    return new EnvKey(v);
  }
}

/** A config value: any text except NUL (it travels base64-encoded, so newlines and quotes are fine). */
export class EnvValue {
  static readonly MAX_BYTES = 64 * 1024;
  private constructor(readonly value: string) {}
  static of(raw: string, field = 'value'): EnvValue {
    if (typeof raw !== 'string') throw new InvalidArgument(field, 'a string is required');
    if (raw.includes('\0')) throw new InvalidArgument(field, 'a config value may not contain a NUL character');
    // Counted in UTF-8 bytes, as it travels: 64 KiB of "€" would be 192 KiB on the wire, past one command's limit.
    if (utf8Bytes(raw) > EnvValue.MAX_BYTES) {
      throw new InvalidArgument(field, `a config value may be at most 64 KiB (${EnvValue.MAX_BYTES} bytes in UTF-8); store larger values elsewhere and put a reference in the config`);
    }
    return new EnvValue(raw);
  }
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
/** A DNS name for a vhost; an optional leading "*." wildcard. Lower-cased. */
export class DomainName {
  static readonly RULE = 'a domain is a DNS name such as "www.example.com" (letters, digits, hyphens and dots; at most 253 characters)';
  private constructor(readonly value: string) {}
  static of(raw: string, field = 'domain'): DomainName {
    const v = text(raw, field).trim().toLowerCase();
    const bare = v.startsWith('*.') ? v.slice(2) : v;
    const ok = v.length <= 253 && bare.split('.').every((label) => LABEL.test(label));
    if (!ok) throw new InvalidArgument(field, `${DomainName.RULE}; got ${describe(raw)}`);
    return new DomainName(v);
  }
}

// Characters that survive an unquoted trip through a shell's word splitting and Dokku's `$0 $SSH_ORIGINAL_COMMAND`.
const BARE_SAFE = /^[A-Za-z0-9._~:/@%+=,#-]+$/;

/** A remote git repository: https://, ssh:// or scp-like git@host:path. Never a local path or file:// (another app's data). */
export class GitUrl {
  static readonly RULE =
    'repo_url must be a remote git URL: https://host/path, ssh://host/path or git@host:path (no local paths, no file://, no spaces or quotes)';
  private constructor(readonly value: string) {}
  static of(raw: string, field = 'repo_url'): GitUrl {
    const v = text(raw, field).trim();
    const remote = /^https:\/\/[A-Za-z0-9.-]+(:\d+)?\/./.test(v) || /^ssh:\/\/([A-Za-z0-9._-]+@)?[A-Za-z0-9.-]+(:\d+)?\/./.test(v) ||
      /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^/].*/.test(v);
    if (!remote || !BARE_SAFE.test(v) || v.length > 1024 || v.includes('..')) {
      throw new InvalidArgument(field, `${GitUrl.RULE}; got ${describe(v)}`);
    }
    return new GitUrl(v);
  }
}

/** A branch, tag or commit, by git's check-ref-format rules (simplified, stricter). */
export class GitRef {
  static readonly RULE = 'git_ref must be a branch, tag or commit SHA (letters, digits, ".", "_", "/", "-"; not starting with "-" or ".")';
  private constructor(readonly value: string) {}
  static of(raw: string, field = 'git_ref'): GitRef {
    const v = text(raw, field).trim();
    const ok = /^[A-Za-z0-9_][A-Za-z0-9._/-]{0,254}$/.test(v) && !v.includes('..') && !v.includes('//') &&
      !v.endsWith('.lock') && !v.endsWith('/') && !v.endsWith('.');
    if (!ok) throw new InvalidArgument(field, `${GitRef.RULE}; got ${describe(v)}`);
    return new GitRef(v);
  }
}

// Docker Hub, by every name Docker resolves to it (distribution/reference: "docker.io" and its legacy "index.docker.io";
// "registry-1.docker.io" is the host that serves it).
const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** A container image reference; never Dokku's own `dokku/…` images (they hold other apps' builds). */
export class ImageRef {
  static readonly RULE = 'image must be a Docker image reference such as "nginx:1.27" or "ghcr.io/org/app@sha256:…"';
  private constructor(
    readonly value: string,
    /** The reference as Docker resolves it: `nginx` is `docker.io/library/nginx:latest`. */
    readonly normalized: string,
  ) {}

  static of(raw: string, field = 'image'): ImageRef {
    const v = text(raw, field).trim();
    if (!/^[a-z0-9][a-z0-9._/:@-]{0,510}$/.test(v) || !BARE_SAFE.test(v)) {
      throw new InvalidArgument(field, `${ImageRef.RULE}; got ${describe(v)}`);
    }
    const { registry, path, tag, digest } = ImageRef.parse(v);
    if (!path || tag === '' || digest === '' || path.split('/').includes('')) throw new InvalidArgument(field, `${ImageRef.RULE}; got ${describe(v)}`);
    // Compared normalized: `dokku/api`, `docker.io/dokku/api` and `index.docker.io/dokku/api:latest` are one local image.
    if (registry === 'docker.io' && (path.startsWith('dokku/') || path === 'library/dokku')) {
      throw new InvalidArgument(field, `images in Dokku's own "dokku/" namespace are refused (they hold other apps' builds); got ${describe(v)}`);
    }
    const normalized = `${registry}/${path}${tag === undefined && digest !== undefined ? '' : `:${tag ?? 'latest'}`}${digest ? `@${digest}` : ''}`;
    return new ImageRef(v, normalized);
  }

  /**
   * Splits a reference the way Docker does (distribution/reference ParseNormalizedNamed): the first component is a
   * registry only if it has a "." or ":" or is "localhost"; otherwise the image is on Docker Hub, where a single
   * component is under "library/". A tag is the part after the last ":" that follows the last "/".
   */
  private static parse(v: string): { registry: string; path: string; tag?: string; digest?: string } {
    const at = v.indexOf('@');
    const digest = at === -1 ? undefined : v.slice(at + 1);
    let name = at === -1 ? v : v.slice(0, at);
    let tag: string | undefined;
    const colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf('/')) {
      tag = name.slice(colon + 1);
      name = name.slice(0, colon);
    }
    const slash = name.indexOf('/');
    const first = slash === -1 ? '' : name.slice(0, slash);
    const hasRegistry = slash !== -1 && (/[.:]/.test(first) || first === 'localhost');
    let registry = hasRegistry ? first.toLowerCase() : 'docker.io';
    let path = hasRegistry ? name.slice(slash + 1) : name;
    if (DOCKER_HUB.has(registry)) registry = 'docker.io';
    if (registry === 'docker.io' && path !== '' && !path.includes('/')) path = `library/${path}`;
    return { registry, path, tag, digest };
  }
}

/** A non-negative integer within bounds, e.g. a process count. */
export function boundedInt(raw: unknown, field: string, min: number, max: number): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min || raw > max) {
    throw new InvalidArgument(field, `must be a whole number from ${min} to ${max}; got ${describe(raw)}`);
  }
  return raw;
}

/** The id Dokku (0.38+) gives a build in its own record: lowercase base36, e.g. "mbz8k2q41x7c9d". */
export class BuildId {
  static readonly PATTERN = /^[0-9a-z]{6,40}$/;
  private constructor(readonly value: string) {}
  static of(raw: string, field = 'build_id'): BuildId {
    const v = text(raw, field).trim();
    if (!BuildId.PATTERN.test(v)) throw new InvalidArgument(field, `a Dokku build id is 6 to 40 lowercase letters and digits; got ${describe(v)}`);
    return new BuildId(v);
  }
}

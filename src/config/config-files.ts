import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { ConfigError } from './config-error.js';
import { configSchema, isLeaf } from './config-schema.js';

/**
 * The package root: the nearest directory above this module holding a package.json. Works from src/config
 * (jest) and dist/config (the built server, also when installed under node_modules).
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('dokku-mcp: cannot find package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

export function defaultConfigPath(): string {
  return join(packageRoot(), 'config', 'default.yaml');
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a YAML or JSON file (JSON by extension; YAML is a superset anyway) into a plain object. */
export function readConfigFile(path: string): Record<string, unknown> {
  const absolute = resolve(path);
  let content: string;
  try {
    content = readFileSync(absolute, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config file ${absolute}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    // js-yaml 4's load uses the safe default schema: no code, no custom tags.
    parsed = /\.json$/i.test(absolute) ? JSON.parse(content) : yaml.load(content, { filename: absolute });
  } catch (e) {
    throw new ConfigError(`config file ${absolute} is not valid ${/\.json$/i.test(absolute) ? 'JSON' : 'YAML'}: ${(e as Error).message}`);
  }
  if (parsed === undefined || parsed === null) return {}; // an empty file changes nothing
  if (!isPlainObject(parsed)) throw new ConfigError(`config file ${absolute} must hold a mapping of keys (like logs:, ssh:), not a ${Array.isArray(parsed) ? 'list' : typeof parsed}`);
  return parsed;
}

/** Edit distance (Levenshtein), to suggest the key or variable that was meant. */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]++;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/**
 * Problems with the shape of a file: unknown keys (typos) and sections/values in the wrong place. Checked
 * before convict sees the file, so the message can name the file and suggest the key that was meant.
 */
export function shapeProblems(file: Record<string, unknown>, source: string): string[] {
  const problems: string[] = [];
  const walk = (obj: Record<string, unknown>, schema: Record<string, unknown>, prefix: string): void => {
    for (const [name, value] of Object.entries(obj)) {
      const path = prefix ? `${prefix}.${name}` : name;
      const node = Object.prototype.hasOwnProperty.call(schema, name) ? schema[name] : undefined;
      if (node === undefined) {
        const known = Object.keys(schema);
        const close = known.filter((k) => distance(k, name) <= 2).map((k) => (prefix ? `${prefix}.${k}` : k));
        const hint = close.length ? ` Did you mean '${close[0]}'?` : '';
        problems.push(`unknown key '${path}' in ${source}.${hint} Accepted ${prefix ? `under '${prefix}'` : 'at the top level'}: ${known.join(', ')}.`);
      } else if (isLeaf(node)) {
        // A mapping-valued key (tenants) is checked entry by entry later (access-config.ts).
        if (isPlainObject(value) && (node as { format?: unknown }).format !== 'object') problems.push(`'${path}' in ${source} must be a single value, not a section.`);
      } else if (!isPlainObject(value)) {
        const keys = Object.keys(node as Record<string, unknown>).join(', ');
        problems.push(`'${path}' in ${source} must be a section with keys ${keys}; got ${JSON.stringify(value)}.`);
      } else {
        walk(value, node as Record<string, unknown>, path);
      }
    }
  };
  walk(file, configSchema as Record<string, unknown>, '');
  return problems;
}

/** `{ a: { b: 1 } }` -> `{ 'a.b': 1 }` (arrays are values). */
export function flattenKeys(obj: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${name}` : name;
    if (isPlainObject(value)) Object.assign(out, flattenKeys(value, path));
    else out[path] = value;
  }
  return out;
}

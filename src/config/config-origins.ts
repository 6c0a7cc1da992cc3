import { CONFIG_KEYS, envVarFor, hasEnv } from './config-schema.js';
import { flattenKeys } from './config-files.js';

/**
 * Remembers where each key's value came from, so a message can say "got DOKKU_MCP_SSH_PORT="abc"" or
 * "got 0 in /etc/dokku-mcp.yaml" instead of only naming the key. Highest precedence wins: flag > env > file.
 */
export class ConfigOrigins {
  private readonly files: { path: string; values: Record<string, unknown> }[] = [];
  private readonly flags = new Map<string, { flag: string; value: string | boolean }>();

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  addFile(path: string, content: Record<string, unknown>): void {
    this.files.push({ path, values: flattenKeys(content) });
  }

  addFlag(key: string, flag: string, value: string | boolean): void {
    this.flags.set(key, { flag, value });
  }

  /** Was the key set by a flag, an environment variable or a file other than `exceptFile` (the shipped defaults)? */
  given(key: string, exceptFile: string): boolean {
    if (this.flags.has(key) || this.env[envVarFor(key)] !== undefined) return true;
    return this.files.some((f) => f.path !== exceptFile && key in f.values);
  }

  /** Where the key's value came from, without the value (for secrets): `--port`, `DOKKU_MCP_X`, a file, or `the default`. */
  source(key: string): string {
    const flag = this.flags.get(key);
    if (flag) return flag.flag;
    if (hasEnv(key) && this.env[envVarFor(key)] !== undefined) return envVarFor(key);
    for (let i = this.files.length - 1; i >= 0; i--) if (key in this.files[i].values) return this.files[i].path;
    return 'the default';
  }

  /** `"abc" from --port`, `DOKKU_MCP_X="abc"`, `5 in /path.yaml`, or `the default 5`. */
  describe(key: string, current: unknown): string {
    const flag = this.flags.get(key);
    if (flag) return typeof flag.value === 'boolean' ? flag.flag : `${flag.flag} ${JSON.stringify(flag.value)}`;
    const envName = envVarFor(key);
    if (hasEnv(key) && this.env[envName] !== undefined) return `${envName}=${JSON.stringify(this.env[envName])}`;
    for (let i = this.files.length - 1; i >= 0; i--) {
      const { path, values } = this.files[i];
      if (key in values) return `${JSON.stringify(values[key])} in ${path}`;
    }
    return `the default ${JSON.stringify(current)}`;
  }

  /**
   * Rewrites one line of convict's validation error so it names the key, what is accepted, and the value
   * with its source. convict 6.2.5 writes `key: message[: value was JSON]` for a bad value, and
   * `configuration param 'key' not declared in the schema` for an unknown key.
   */
  explain(line: string, current: (key: string) => unknown): string {
    const undeclared = /^configuration param '(.+)' not declared in the schema$/.exec(line);
    if (undeclared) {
      const file = [...this.files].reverse().find((f) => undeclared[1] in f.values);
      return `unknown key '${undeclared[1]}'${file ? ` in ${file.path}` : ''}.`;
    }
    const invalid = /^([a-z0-9_.]+): (.*)$/s.exec(line);
    if (invalid && CONFIG_KEYS.includes(invalid[1])) {
      const key = invalid[1];
      const at = invalid[2].indexOf(': value was ');
      const rule = (at >= 0 ? invalid[2].slice(0, at) : invalid[2]).trim();
      return `${key}: ${rule}; got ${this.describe(key, current(key))}.`;
    }
    return line;
  }
}

import { parseArgs } from 'node:util';
import { ConfigError } from './config-error.js';
import { ENV_PREFIX } from './config-schema.js';

/** A flag that sets one configuration key; `value` is the fixed value of a switch. */
interface KeyFlag {
  key: string;
  arg: string; // how --help shows the value, '' for a switch
  help: string;
  value?: true;
}

export const KEY_FLAGS: Readonly<Record<string, KeyFlag>> = {
  transport: { key: 'transport.type', arg: 'stdio|http', help: 'MCP transport (default stdio)' },
  port: { key: 'transport.port', arg: 'N', help: 'HTTP port (default 8080, or the next free one when busy; a port given is never skipped; 0 = any)' },
  host: { key: 'transport.host', arg: 'ADDR', help: 'HTTP listen address (default 127.0.0.1)' },
  sandbox: { key: 'dokku.sandbox', arg: '', help: 'use the built-in simulated Dokku host', value: true },
  'ssh-host': { key: 'ssh.host', arg: 'H', help: 'Dokku host to reach over SSH' },
  'ssh-port': { key: 'ssh.port', arg: 'N', help: 'SSH port (default 22)' },
  'ssh-user': { key: 'ssh.user', arg: 'U', help: 'SSH user (default dokku)' },
  'ssh-key': { key: 'ssh.key_path', arg: 'PATH', help: 'private key file' },
  'ssh-host-key-fingerprint': { key: 'ssh.host_key_fingerprint', arg: 'SHA256:...', help: "the host key's pinned fingerprint (ssh-keyscan HOST | ssh-keygen -lf -)" },
  'ssh-known-hosts': { key: 'ssh.known_hosts', arg: 'FILE', help: 'known_hosts file listing the host key' },
  'log-level': { key: 'log.level', arg: 'L', help: 'error|warn|info|debug (default info); logs go to stderr' },
  'read-only': { key: 'security.read_only', arg: '', help: 'offer read-only tools only', value: true },
  store: { key: 'store.type', arg: 'memory|redis', help: 'where shared state lives: this process (default) or Redis, for several instances' },
  'redis-url': { key: 'store.redis_url', arg: 'URL', help: 'the Redis of store.type redis, e.g. redis://127.0.0.1:6379' },
  toolsets: { key: 'tools.toolsets', arg: 'a,b', help: 'tool groups to offer, or all (default apps,deploys,logs,config,domains)' },
};

const OTHER_FLAGS = {
  config: { arg: 'FILE', help: 'YAML or JSON config file' },
  check: { arg: '', help: 'check the configuration and the host (key, pin, login, dokku version), print the result, exit 0 ok / 1 host or key failed / 2 configuration invalid' },
  help: { arg: '', help: 'show this help (-h)' },
  version: { arg: '', help: 'show the version' },
};

const options = {
  ...Object.fromEntries(
    Object.entries(KEY_FLAGS).map(([name, f]) => [name, { type: f.value ? ('boolean' as const) : ('string' as const) }]),
  ),
  config: { type: 'string' as const },
  check: { type: 'boolean' as const },
  help: { type: 'boolean' as const, short: 'h' },
  version: { type: 'boolean' as const },
};

const usage = (name: string, arg: string): string => `--${name}${arg ? ` ${arg}` : ''}`;
export const ACCEPTED_FLAGS: readonly string[] = [
  ...Object.entries(KEY_FLAGS).map(([n, f]) => usage(n, f.arg)),
  ...Object.entries(OTHER_FLAGS).map(([n, f]) => usage(n, f.arg)),
];

export interface CliArgs {
  help: boolean;
  version: boolean;
  /** --check: run the start-up checks, report, exit. */
  check: boolean;
  configFile?: string;
  /** Config key -> raw value, with the flag that gave it (for error messages). */
  settings: { key: string; flag: string; value: string | boolean }[];
}

export function parseCliArgs(argv: string[]): CliArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }));
  } catch (e) {
    const message = (e as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(message);
    const problem = unknown
      ? `unknown flag '${unknown[1]}'`
      : message.replace(/\. To specify a positional argument.*$/s, '').replace(/\.$/, '');
    throw new ConfigError(`${problem}. Accepted flags: ${ACCEPTED_FLAGS.join(', ')}.`);
  }
  const settings = Object.entries(KEY_FLAGS)
    .filter(([name]) => values[name] !== undefined)
    .map(([name, f]) => ({ key: f.key, flag: `--${name}`, value: f.value ?? (values[name] as string) }));
  return {
    help: values.help === true,
    version: values.version === true,
    check: values.check === true,
    configFile: values.config as string | undefined,
    settings,
  };
}

export function helpText(version: string): string {
  const rows = [
    ...Object.entries(KEY_FLAGS).map(([n, f]) => [usage(n, f.arg), f.help]),
    ...Object.entries(OTHER_FLAGS).map(([n, f]) => [usage(n, f.arg), f.help]),
  ];
  const width = Math.max(...rows.map(([u]) => u.length)) + 2;
  return [
    `dokku-mcp ${version}: an MCP server to operate a Dokku host`,
    '',
    'Usage: dokku-mcp (--ssh-host HOST | --sandbox) [options]',
    '',
    'A Dokku host is required: give exactly one of',
    '  --ssh-host HOST   (or DOKKU_MCP_SSH_HOST, or ssh.host in a config file)  a real host over SSH',
    '  --sandbox         (or DOKKU_MCP_DOKKU_SANDBOX=true, or dokku.sandbox: true)  the built-in simulated host',
    '',
    'Options:',
    ...rows.map(([u, h]) => `  ${u.padEnd(width)}${h}`),
    '',
    'Configuration, lowest to highest precedence: built-in defaults < config/default.yaml (shipped)',
    `< --config FILE < environment variables < flags. Every key has an environment variable: ${ENV_PREFIX} followed`,
    'by its path upper-cased, dots as underscores, e.g. logs.runtime.max_lines -> DOKKU_MCP_LOGS_RUNTIME_MAX_LINES.',
    'Lists (transport.allowed_hosts, allowed_origins) are comma-separated there; an empty variable counts as not set. The SSH key',
    'passphrase is read from the variable named by ssh.key_passphrase_env (default DOKKU_MCP_SSH_KEY_PASSPHRASE).',
    'See config/example.yaml for a commented configuration of a real host.',
    '',
  ].join('\n');
}

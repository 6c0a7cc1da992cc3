import type convict from 'convict';
import { Formats } from './config-formats.js';
import { DEFAULT_TOOLSETS } from './toolsets.js';

/** The configuration as convict holds it: snake_case, as in YAML files. */
export interface RawConfig {
  logs: {
    runtime: { default_lines: number; max_lines: number; stream_buffer_size: number };
    build: { max_size_mb: number; retention_minutes: number; max_deployments: number };
  };
  ssh: {
    host: string | null;
    port: number;
    user: string;
    key_path: string | null;
    key_passphrase_env: string;
    known_hosts: string | null;
    host_key_fingerprint: string | null;
    strict_host_key: boolean;
    max_channels: number;
    connect_timeout_ms: number;
    command_timeout_ms: number;
    deploy_timeout_ms: number;
    keepalive_interval_ms: number;
  };
  dokku: { sandbox: boolean };
  sandbox: { deploy_step_ms: number };
  transport: {
    type: 'stdio' | 'http';
    host: string;
    port: number;
    allowed_hosts: string[];
    allowed_origins: string[];
    max_sessions: number;
    session_idle_minutes: number;
    max_body_kb: number;
    event_store: { max_events_per_session: number; max_events: number };
  };
  security: { require_elicitation: boolean; read_only: boolean };
  tools: { toolsets: string[] };
  log: { level: 'error' | 'warn' | 'info' | 'debug' };
}

export const ENV_PREFIX = 'DOKKU_MCP_';

/** `logs.runtime.max_lines` -> `DOKKU_MCP_LOGS_RUNTIME_MAX_LINES`. */
export function envVarFor(key: string): string {
  return ENV_PREFIX + key.toUpperCase().replace(/\./g, '_');
}

// Node's timers treat any delay above 2^31-1 ms as 1 ms, so a larger timeout would fire at once.
const MAX_TIMER_MS = 2_147_483_647;

type Leaf<T> = convict.SchemaObj<T>;
const int = (d: number, min: number, max: number, doc: string): Leaf<number> => ({ default: d, format: Formats.int, min, max, doc });
const num = (d: number, min: number, max: number, doc: string, exclusiveMin = false): Leaf<number> => ({
  default: d, format: Formats.number, min, max, exclusiveMin, doc,
});
const bool = (d: boolean, doc: string): Leaf<boolean> => ({ default: d, format: Formats.boolean, doc });
const text = (d: string, doc: string): Leaf<string> => ({ default: d, format: Formats.text, doc });
const optional = (doc: string): Leaf<string | null> => ({ default: null, format: Formats.optionalText, doc });
const ms = (d: number, doc: string): Leaf<number> => int(d, 1, MAX_TIMER_MS, doc);

const definition: convict.Schema<RawConfig> = {
  logs: {
    runtime: {
      default_lines: int(100, 1, 100_000, 'Runtime log lines returned when a client asks for none'),
      max_lines: int(1000, 1, 100_000, 'Most runtime log lines a client may ask for'),
      stream_buffer_size: int(1000, 10, 1_000_000, 'Lines buffered per followed app'),
    },
    build: {
      max_size_mb: num(10, 0, 1024, 'Build log kept in memory per deployment (MB)', true),
      retention_minutes: num(5, 0, 10_080, 'How long a finished deployment is kept (minutes)'),
      max_deployments: int(200, 1, 100_000, 'Most deployments kept in memory'),
    },
  },
  ssh: {
    host: optional('Dokku host to reach over SSH; not set = none'),
    port: int(22, 1, 65_535, 'SSH port'),
    user: text('dokku', 'SSH user (Dokku forces its command for this user)'),
    key_path: optional('Private key file; not set = ssh-agent / default keys'),
    key_passphrase_env: { default: 'DOKKU_MCP_SSH_KEY_PASSPHRASE', format: Formats.envName, doc: 'Env var holding the key passphrase' },
    known_hosts: optional('known_hosts file used to verify the host key'),
    host_key_fingerprint: { default: null, format: Formats.fingerprint, doc: 'Pinned host key, SHA256:...' },
    strict_host_key: bool(true, 'Refuse hosts whose key cannot be verified'),
    max_channels: int(8, 3, 64, 'Concurrent SSH channels on the one connection (OpenSSH allows 10)'),
    connect_timeout_ms: ms(10_000, 'Connection timeout'),
    command_timeout_ms: ms(30_000, 'Timeout of one Dokku command'),
    deploy_timeout_ms: ms(1_800_000, 'Timeout of one deploy'),
    keepalive_interval_ms: ms(15_000, 'SSH keepalive interval'),
  },
  dokku: {
    sandbox: bool(false, 'Use the built-in simulated Dokku host instead of SSH'),
  },
  sandbox: {
    deploy_step_ms: int(250, 1, 60_000, 'Simulated host: delay between groups of build output lines (ms)'),
  },
  transport: {
    type: { default: 'stdio', format: ['stdio', 'http'], doc: 'MCP transport' },
    host: text('127.0.0.1', 'Address the HTTP transport listens on'),
    port: int(8080, 0, 65_535, 'HTTP port (0 = any free port)'),
    allowed_hosts: { default: [], format: Formats.stringList, doc: 'Host headers accepted besides the loopback names on the bound port' },
    allowed_origins: { default: [], format: Formats.stringList, doc: 'Origins accepted besides the loopback origins on the bound port' },
    max_sessions: int(100, 1, 100_000, 'Most MCP sessions open at once over HTTP (Streamable HTTP and SSE together)'),
    // Decimals are allowed (0.05 = 3 s), so tests and demos can watch a session expire.
    session_idle_minutes: num(30, 0, 10_080, 'An HTTP session with no request and no open stream for this long is closed', true),
    max_body_kb: int(1024, 1, 102_400, 'Largest HTTP request body accepted (KiB)'),
    event_store: {
      max_events_per_session: int(1000, 1, 1_000_000, 'Stream events kept per session for Last-Event-ID resumption'),
      max_events: int(20_000, 1, 10_000_000, 'Stream events kept over all sessions for resumption'),
    },
  },
  security: {
    require_elicitation: bool(false, 'Ask the user before destructive tools'),
    read_only: bool(false, 'Register read-only tools only'),
  },
  tools: {
    toolsets: { default: [...DEFAULT_TOOLSETS], format: Formats.toolsets, doc: 'Groups of tools offered (all = every one)' },
  },
  log: {
    level: { default: 'info', format: ['error', 'warn', 'info', 'debug'], doc: 'Log level (logs go to stderr)' },
  },
};

export function isLeaf(node: unknown): node is convict.SchemaObj {
  return typeof node === 'object' && node !== null && 'default' in node;
}

/** Every key declares its environment variable, derived from its path so the two cannot drift. */
function withEnv(node: Record<string, unknown>, prefix: string): void {
  for (const [name, child] of Object.entries(node)) {
    const path = prefix ? `${prefix}.${name}` : name;
    if (isLeaf(child)) child.env = envVarFor(path);
    else withEnv(child as Record<string, unknown>, path);
  }
}
withEnv(definition as Record<string, unknown>, '');

export const configSchema: convict.Schema<RawConfig> = definition;

/** Dotted paths of every key, in schema order. */
export const CONFIG_KEYS: readonly string[] = (function collect(node: Record<string, unknown>, prefix: string): string[] {
  return Object.entries(node).flatMap(([name, child]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    return isLeaf(child) ? [path] : collect(child as Record<string, unknown>, path);
  });
})(definition as Record<string, unknown>, '');

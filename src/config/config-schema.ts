import type convict from 'convict';
import { Formats } from './config-formats.js';
import { DEFAULT_TOOLSETS } from './toolsets.js';

/** The configuration as convict holds it: snake_case, as in YAML files. */
export interface RawConfig {
  logs: {
    runtime: {
      default_lines: number;
      max_lines: number;
      stream_buffer_size: number;
      stream_linger_ms: number;
      max_streams: number;
      max_streams_per_tenant: number;
      max_streams_per_session: number;
      sse_heartbeat_seconds: number;
      host_change_poll_seconds: number;
    };
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
  deployments: { build_id_wait_ms: number; lost_recheck_seconds: number };
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
  shutdown: { grace_seconds: number };
  tools: { toolsets: string[] };
  log: { level: 'error' | 'warn' | 'info' | 'debug' };
  /** Checked entry by entry in access-config.ts (convict checks only that it is a list / a mapping). */
  auth: {
    tokens: unknown[];
    rate_limit: { per_minute: number; burst: number };
    max_sessions_per_tenant: number;
    stdio_tenant: string | null;
  };
  tenants: Record<string, unknown>;
  audit: { file: string | null };
  store: { type: 'memory' | 'redis'; redis_url: string | null; key_prefix: string; lease_ttl_ms: number };
}

/**
 * Sections set in a config file only, never through environment variables: tokens, tenants and their limits are
 * structured, and an access policy should live in one reviewed file rather than be patched by the environment.
 */
export const FILE_ONLY_SECTIONS: readonly string[] = ['auth', 'tenants'];
const fileOnly = (path: string): boolean => FILE_ONLY_SECTIONS.some((section) => path === section || path.startsWith(`${section}.`));

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
      stream_linger_ms: int(5000, 0, 3_600_000, 'How long an app stays followed after its last subscriber left (ms)'),
      max_streams: int(4, 1, 1000, 'Apps followed at once (one SSH channel each)'),
      max_streams_per_tenant: int(100, 1, 100_000, 'Live log subscriptions one tenant may hold'),
      max_streams_per_session: int(10, 1, 10_000, 'Live log subscriptions one session may hold'),
      sse_heartbeat_seconds: num(15, 0.05, 3600, 'Keep-alive comment interval on the SSE log stream (seconds)'),
      host_change_poll_seconds: num(5, 0, 3600, 'How often a followed app\'s containers are checked for changes made outside this server (seconds; 0 = never)'),
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
  deployments: {
    build_id_wait_ms: int(5_000, 0, 600_000, "How long a deploy waits for its build in the host's record (Dokku 0.38+) before answering (ms)"),
    lost_recheck_seconds: int(120, 0, 3600, "After the connection drops mid-deploy (Dokku 0.38+): how long the host's build record is asked how it ended before it is 'outcome unknown' (s)"),
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
  shutdown: {
    grace_seconds: int(30, 0, 3600, 'On SIGTERM/SIGINT, how long running deploys may take to finish before the server exits anyway'),
  },
  tools: {
    toolsets: { default: [...DEFAULT_TOOLSETS], format: Formats.toolsets, doc: 'Groups of tools offered (all = every one)' },
  },
  log: {
    level: { default: 'info', format: ['error', 'warn', 'info', 'debug'], doc: 'Log level (logs go to stderr)' },
  },
  auth: {
    tokens: { default: [], format: Formats.list, doc: 'Bearer tokens: id, sha256 or env, tenant, scopes (config file only)' },
    rate_limit: {
      per_minute: int(120, 1, 1_000_000, 'Requests (tools/call, resources/read) a token or session may make per minute'),
      burst: int(30, 1, 1_000_000, 'Requests it may make at once before the per-minute rate applies'),
    },
    max_sessions_per_tenant: int(20, 1, 100_000, 'Concurrent HTTP sessions per tenant'),
    stdio_tenant: optional('The tenant a stdio session acts as; not set = every app'),
  },
  // format 'object' (registered in config-formats.ts) makes convict take the mapping whole, tenant names being ours.
  tenants: { default: {}, format: 'object', doc: 'Tenants and the app name patterns each owns (config file only)' },
  audit: {
    file: optional('Append the audit log (one JSON line per call with side effects) to this file; not set = stderr'),
  },
  store: {
    type: { default: 'memory', format: ['memory', 'redis'], doc: 'Where shared state lives: this process (memory) or Redis (several instances)' },
    // Checked in load-config.ts, not by a format: convict would echo a bad value, password included.
    redis_url: optional('Redis to use with store.type redis: redis[s]://[[user]:password@]host[:port][/db]'),
    key_prefix: text('dokku-mcp:', 'Put before every Redis key, so that one Redis can hold several installations'),
    lease_ttl_ms: int(10_000, 100, 600_000, 'Expiry of what an instance renews while alive (session presence, locks)'),
  },
};

export function isLeaf(node: unknown): node is convict.SchemaObj {
  return typeof node === 'object' && node !== null && 'default' in node;
}

/** Every key declares its environment variable, derived from its path so the two cannot drift. */
function withEnv(node: Record<string, unknown>, prefix: string): void {
  for (const [name, child] of Object.entries(node)) {
    const path = prefix ? `${prefix}.${name}` : name;
    if (isLeaf(child)) {
      if (!fileOnly(path)) child.env = envVarFor(path);
    }
    else withEnv(child as Record<string, unknown>, path);
  }
}
withEnv(definition as Record<string, unknown>, '');

export const configSchema: convict.Schema<RawConfig> = definition;

/** Whether a key can be set through its environment variable (every key outside FILE_ONLY_SECTIONS). */
export const hasEnv = (key: string): boolean => !fileOnly(key);

/** Dotted paths of every key, in schema order. */
export const CONFIG_KEYS: readonly string[] = (function collect(node: Record<string, unknown>, prefix: string): string[] {
  return Object.entries(node).flatMap(([name, child]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    return isLeaf(child) ? [path] : collect(child as Record<string, unknown>, path);
  });
})(definition as Record<string, unknown>, '');

import { homedir } from 'node:os';
import type { AccessConfig } from './access-config.js';
import type { RawConfig } from './config-schema.js';
import { resolveToolsets, type Toolset } from './toolsets.js';

/** The validated configuration the container reads (camelCase; files, env and schema use snake_case). */
export interface AppConfig {
  logs: {
    runtime: {
      defaultLines: number;
      maxLines: number;
      streamBufferSize: number;
      streamLingerMs: number;
      maxStreams: number;
      maxStreamsPerTenant: number;
      maxStreamsPerSession: number;
      sseHeartbeatSeconds: number;
      hostChangePollSeconds: number;
    };
    build: { maxSizeMb: number; retentionMinutes: number; maxDeployments: number };
  };
  ssh: {
    host?: string;
    port: number;
    user: string;
    keyPath?: string;
    keyPassphrase?: string;
    /** The environment variable named by ssh.key_passphrase_env (for messages; the value is keyPassphrase). */
    keyPassphraseEnv: string;
    knownHosts?: string;
    hostKeyFingerprint?: string;
    strictHostKey: boolean;
    maxChannels: number;
    connectTimeoutMs: number;
    commandTimeoutMs: number;
    deployTimeoutMs: number;
    keepaliveIntervalMs: number;
  };
  dokku: { sandbox: boolean };
  deployments: { buildIdWaitMs: number; lostRecheckMs: number };
  sandbox: { deployStepMs: number };
  transport: {
    type: 'stdio' | 'http';
    host: string;
    port: number;
    /** The port was chosen (flag, env or a --config file), not the shipped default: a busy port is then refused. */
    portGiven: boolean;
    allowedHosts: string[];
    allowedOrigins: string[];
    maxSessions: number;
    sessionIdleMinutes: number;
    maxBodyKb: number;
    eventStore: { maxEventsPerSession: number; maxEvents: number };
  };
  security: { requireElicitation: boolean; readOnly: boolean };
  /** On SIGTERM/SIGINT: how long running deploys may take to finish (ms). */
  shutdown: { graceMs: number };
  /** The toolsets offered, `all` resolved. */
  tools: { toolsets: Toolset[] };
  log: { level: 'error' | 'warn' | 'info' | 'debug' };
  /** Tokens, rate limit, session cap, the stdio tenant (auth), and the tenants' app patterns (tenants): file-only. */
  access: AccessConfig;
  audit: { file?: string };
  /** Shared state: memory (one process) or Redis; `redisUrl` is set (and checked) when `type` is redis. */
  store: { type: 'memory' | 'redis'; redisUrl?: string; keyPrefix: string; leaseTtlMs: number };
  /** Config files that were read, in order (for the start-up banner). */
  sources: string[];
}

/** null and '' both mean "not set". */
export function optionalText(v: string | null | undefined): string | undefined {
  return v === null || v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** `~/.ssh/id_ed25519` is how people write key paths in YAML; no shell expands it for us. */
function expandHome(path: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (path === undefined || !(path === '~' || path.startsWith('~/'))) return path;
  return (env.HOME || homedir()) + path.slice(1);
}

export function toAppConfig(raw: RawConfig, env: NodeJS.ProcessEnv, sources: string[], access: AccessConfig, portGiven = false): AppConfig {
  const { runtime, build } = raw.logs;
  const ssh = raw.ssh;
  const passphrase = env[ssh.key_passphrase_env];
  return {
    logs: {
      runtime: {
        defaultLines: runtime.default_lines,
        maxLines: runtime.max_lines,
        streamBufferSize: runtime.stream_buffer_size,
        streamLingerMs: runtime.stream_linger_ms,
        maxStreams: runtime.max_streams,
        maxStreamsPerTenant: runtime.max_streams_per_tenant,
        maxStreamsPerSession: runtime.max_streams_per_session,
        sseHeartbeatSeconds: runtime.sse_heartbeat_seconds,
        hostChangePollSeconds: runtime.host_change_poll_seconds,
      },
      build: { maxSizeMb: build.max_size_mb, retentionMinutes: build.retention_minutes, maxDeployments: build.max_deployments },
    },
    ssh: {
      host: optionalText(ssh.host),
      port: ssh.port,
      user: ssh.user,
      keyPath: expandHome(optionalText(ssh.key_path), env),
      // Read from the environment only, never from a file, so the secret stays out of config files.
      keyPassphrase: passphrase === undefined || passphrase === '' ? undefined : passphrase,
      keyPassphraseEnv: ssh.key_passphrase_env,
      knownHosts: expandHome(optionalText(ssh.known_hosts), env),
      hostKeyFingerprint: optionalText(ssh.host_key_fingerprint),
      strictHostKey: ssh.strict_host_key,
      maxChannels: ssh.max_channels,
      connectTimeoutMs: ssh.connect_timeout_ms,
      commandTimeoutMs: ssh.command_timeout_ms,
      deployTimeoutMs: ssh.deploy_timeout_ms,
      keepaliveIntervalMs: ssh.keepalive_interval_ms,
    },
    dokku: { sandbox: raw.dokku.sandbox },
    deployments: { buildIdWaitMs: raw.deployments.build_id_wait_ms, lostRecheckMs: raw.deployments.lost_recheck_seconds * 1000 },
    sandbox: { deployStepMs: raw.sandbox.deploy_step_ms },
    transport: {
      type: raw.transport.type,
      host: raw.transport.host,
      port: raw.transport.port,
      portGiven,
      allowedHosts: [...raw.transport.allowed_hosts],
      allowedOrigins: [...raw.transport.allowed_origins],
      maxSessions: raw.transport.max_sessions,
      sessionIdleMinutes: raw.transport.session_idle_minutes,
      maxBodyKb: raw.transport.max_body_kb,
      eventStore: {
        maxEventsPerSession: raw.transport.event_store.max_events_per_session,
        maxEvents: raw.transport.event_store.max_events,
      },
    },
    security: { requireElicitation: raw.security.require_elicitation, readOnly: raw.security.read_only },
    shutdown: { graceMs: raw.shutdown.grace_seconds * 1000 },
    tools: { toolsets: resolveToolsets(raw.tools.toolsets) },
    log: { level: raw.log.level },
    access,
    audit: { file: expandHome(optionalText(raw.audit.file), env) },
    store: { type: raw.store.type, redisUrl: optionalText(raw.store.redis_url), keyPrefix: raw.store.key_prefix, leaseTtlMs: raw.store.lease_ttl_ms },
    sources,
  };
}

#!/usr/bin/env node
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { bindRefusal } from './adapters/inbound/http/bind-policy.js';
import { httpBannerLines } from './adapters/inbound/http/http-banner.js';
import { ListenError } from './adapters/inbound/http/http-server.js';
import { serveHttp, type HttpHandle } from './adapters/inbound/http/serve-http.js';
import { describeDomainError } from './adapters/inbound/mcp/error-mapper.js';
import { McpServerFactory } from './adapters/inbound/mcp/server-factory.js';
import { serveStdio } from './adapters/inbound/mcp/transports/stdio-transport.js';
import { CheckHost, type HostCheckOutcome } from './application/server/check-host.use-case.js';
import { DrainDeployments } from './application/server/drain-deployments.use-case.js';
import { buildContainer, connectStateStore, Disposables, httpServeOptions, stdioCaller } from './container.js';
import { packageVersion } from './config/config-files.js';
import { ConfigError, loadConfig, type AppConfig } from './config/load-config.js';
import { ENV_PREFIX } from './config/config-schema.js';
import { displayRedisUrl } from './config/store-config.js';
import { Sanitizer } from './domain/sanitizer.js';
import type { Container } from 'inversify';
import { Logger } from './ports/logger.port.js';
import { StateStore } from './ports/state-store.port.js';

/**
 * How long shutdown may take, after the grace for running deploys, to tell the sessions, close them and the SSH
 * connection, before the process exits anyway.
 */
const SHUTDOWN_DEADLINE_MS = 3_000;

/** stdout is the MCP protocol in stdio mode: everything for humans goes to stderr. */
const say = (text: string): void => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);

/** A word as a POSIX shell reads it back: bare when safe, else single-quoted. */
const shellWord = (word: string): string => (/^[A-Za-z0-9_/.,:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/**
 * The command a client must be given to start this same server: the same flags, with --config made absolute (a
 * client starts it from another directory). Environment variables are named, never their values (they may be secret).
 */
function clientCommand(argv: readonly string[], env: NodeJS.ProcessEnv): string {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--config' && i + 1 < argv.length) args.push(arg, resolve(argv[++i]!));
    else if (arg.startsWith('--config=')) args.push(`--config=${resolve(arg.slice('--config='.length))}`);
    // A Redis password is not printed (better given through DOKKU_MCP_STORE_REDIS_URL anyway).
    else if (arg === '--redis-url' && i + 1 < argv.length) args.push(arg, displayRedisUrl(argv[++i]!));
    else if (arg.startsWith('--redis-url=')) args.push(`--redis-url=${displayRedisUrl(arg.slice('--redis-url='.length))}`);
    else args.push(arg);
  }
  const command = [process.execPath, process.argv[1] ?? 'dist/main.js', ...args].map(shellWord).join(' ');
  const vars = Object.keys(env).filter((name) => name.startsWith(ENV_PREFIX) && env[name] !== '').sort();
  return vars.length ? `${command} (with the environment variables ${vars.join(', ')} set as here)` : command;
}

function banner(config: AppConfig, version: string, argv: readonly string[], http?: HttpHandle): string {
  const host = config.dokku.sandbox
    ? 'SANDBOX MODE: a built-in SIMULATED Dokku host (seeded demo apps); no real server is touched.'
    : `Dokku host: ${config.ssh.user}@${config.ssh.host}:${config.ssh.port} over SSH.`;
  const connect = http
    ? httpBannerLines(http, config.access.tokens.length > 0)
    : [`Speaking MCP over stdio. Connect a client by giving it the command: ${clientCommand(argv, process.env)}`];
  const store = config.store.type === 'redis' && config.store.redisUrl
    ? [`State store: Redis at ${displayRedisUrl(config.store.redisUrl)}, keys under "${config.store.keyPrefix}" (shared with the instances that use it).`]
    : [];
  return [`dokku-mcp ${version}`, host, ...store, ...connect, 'Logs go to stderr. Ctrl-C stops.'].join('\n');
}

/** One line: what the check found, or what is wrong, with what to do (the same text every tool answers with). */
function describeOutcome(outcome: HostCheckOutcome, container: Container): string {
  if (!outcome.ok) return container.get(Sanitizer).redact(describeDomainError(outcome.error));
  const { report } = outcome;
  if (report.simulated) return `the simulated Dokku host (sandbox, Dokku ${report.dokkuVersion}) is ready; nothing real to check.`;
  return `${report.host} runs Dokku ${report.dokkuVersion}; the key was accepted and the ${report.hostKey}.`;
}

/** --check: the checks, the result on stdout, exit 0 (ok) or 1 (the host or the key failed). */
async function runCheck(config: AppConfig, version: string): Promise<never> {
  const container = buildContainer(config, version);
  const outcome = await container.get(CheckHost).execute();
  process.stdout.write(`dokku-mcp --check: ${outcome.ok ? 'OK' : 'FAILED'}: ${describeOutcome(outcome, container)}\n`);
  await container.get<Disposables>(Disposables).dispose().catch(() => undefined);
  process.exit(outcome.ok ? 0 : 1);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  // Known before parsing, so that even an unparsable command line is reported where --check reports (stdout).
  const checkOnly = argv.includes('--check');
  let loaded;
  try {
    loaded = loadConfig({ argv, env: process.env });
  } catch (error) {
    if (error instanceof ConfigError) {
      const text = `${error.message.startsWith('dokku-mcp') ? '' : 'dokku-mcp: '}${error.message}\nRun with --help for the options.`;
      if (checkOnly) process.stdout.write(`dokku-mcp --check: configuration invalid: ${text}\n`);
      else say(text);
      process.exit(2);
    }
    throw error;
  }
  if (loaded.kind !== 'run') {
    // Asked for, so it is the output: stdout, exit 0, and no protocol runs.
    process.stdout.write(loaded.text.endsWith('\n') ? loaded.text : `${loaded.text}\n`);
    return;
  }
  const config = loaded.config;
  for (const warning of loaded.warnings) say(`dokku-mcp: warning: ${warning}`);
  const version = packageVersion();
  if (loaded.check) return runCheck(config, version);
  const refusal = config.transport.type === 'http' ? bindRefusal(config.transport.host, { tokensConfigured: config.access.tokens.length > 0 }) : undefined;
  if (refusal) {
    say(`dokku-mcp: ${refusal}`);
    process.exit(2);
  }
  const container = buildContainer(config, version);
  const logger = container.get<Logger>(Logger);
  let stopping = false;
  // A client's input, a Dokku error or a dropped connection must never take the server down. Once stopping, nothing
  // is logged from here: the failure that stops us may be stderr itself.
  process.on('unhandledRejection', (reason) => {
    if (!stopping) logger.error('unhandled rejection', { reason: String(reason) });
  });
  process.on('uncaughtException', (error) => {
    if (!stopping) logger.error('uncaught exception', { error });
  });
  if (!config.dokku.sandbox && !config.ssh.strictHostKey && !config.ssh.knownHosts && !config.ssh.hostKeyFingerprint) {
    logger.warn('ssh.strict_host_key is false and no host key is pinned: the Dokku host is NOT verified (open to MITM). Pin it with ssh.host_key_fingerprint.');
  }
  let server: { close(): Promise<void> } | undefined;
  let hurry: (() => void) | undefined;
  /**
   * Graceful shutdown: take no new sessions or changes, tell every session, give running deploys up to
   * shutdown.grace_seconds (a second signal stops waiting), settle the ones still running, tell the sessions that
   * last, then close them and SSH and exit.
   */
  const stop = async (why: string, exitCode: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const graceMs = config.shutdown.graceMs;
    // Releasing SSH is worth a moment, not a hang: a host that does not answer the close must not keep us alive.
    setTimeout(() => process.exit(exitCode), graceMs + SHUTDOWN_DEADLINE_MS).unref();
    logger.info('shutting down', { why, grace_seconds: graceMs / 1000 });
    const hurried = new Promise<void>((resolve) => (hurry = resolve));
    const report = await container.get(DrainDeployments).execute({ why, graceMs, hurry: hurried }).catch((error: unknown) => {
      logger.error('could not wait for running deployments', { error: String(error) });
      return undefined;
    });
    const unknown = report?.unfinished.filter((d) => d.outcome === 'unknown') ?? [];
    if (unknown.length) logger.warn('shut down with deployments still running: outcome unknown', { deployments: unknown.map((d) => d.id).join(',') });
    await server?.close().catch(() => undefined);
    await container.get<Disposables>(Disposables).dispose().catch(() => undefined);
    process.exit(exitCode);
  };
  if (config.transport.type === 'http') {
    // Over HTTP, instances behind a load balancer share the state store: one that cannot reach it must not take traffic.
    try {
      await connectStateStore(container);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      say(`dokku-mcp: not starting: ${container.get(Sanitizer).redact(why)}. Over HTTP the server needs its state store from the start: start Redis at store.redis_url or fix that URL (or set store.type: memory to run a single instance).`);
      await container.get<Disposables>(Disposables).dispose().catch(() => undefined);
      process.exit(1);
    }
    const store = container.get<StateStore>(StateStore);
    const readiness = async () => {
      const health = await store.health();
      if (!health.ok) return { ready: false as const, reason: container.get(Sanitizer).redact(health.reason) };
      const checked = await container.get(CheckHost).execute();
      return checked.ok ? { ready: true as const } : { ready: false as const, reason: describeOutcome(checked, container) };
    };
    try {
      const http = await serveHttp(httpServeOptions(container, config, readiness));
      server = http;
      say(banner(config, version, argv, http));
    } catch (error) {
      if (!(error instanceof ListenError)) throw error;
      say(`dokku-mcp: ${error.message}`);
      await container.get<Disposables>(Disposables).dispose().catch(() => undefined);
      process.exit(2);
    }
  } else {
    // stdio starts without waiting for the state store: calls that need it answer STATE_STORE_UNAVAILABLE until it does.
    connectStateStore(container).catch((error: unknown) => {
      if (stopping) return;
      const why = container.get(Sanitizer).redact(error instanceof Error ? error.message : String(error));
      logger.warn(`${why}; calls that need it answer with this until it is reachable (retrying in the background)`);
    });
    say(banner(config, version, argv));
    // The session starts at once, check or no check: a client that spawned us must not wait for a slow host, nor see
    // a dead process when the host is wrong. Tools called meanwhile wait for the same connection attempt.
    server = await serveStdio(container.get(McpServerFactory), stdioCaller(config, randomUUID()), logger, { onClientGone: (gone) => void stop(gone.reason, gone.exitCode) });
  }
  // A second signal while waiting for deploys stops waiting (Ctrl-C twice).
  const signalled = (signal: string) => (stopping ? hurry?.() : void stop(signal, 0));
  process.on('SIGINT', () => signalled('SIGINT'));
  process.on('SIGTERM', () => signalled('SIGTERM'));
  const outcome = await container.get(CheckHost).execute();
  if (stopping) return;
  say(
    outcome.ok
      ? `dokku-mcp: ready: ${describeOutcome(outcome, container)}`
      : `dokku-mcp: NOT READY: ${describeOutcome(outcome, container)} The server keeps running: every tool answers with this message until the cause is fixed (a host that refuses is tried again at most once per ssh.connect_timeout_ms; a host key mismatch stays refused until the configuration changes).`,
  );
}

main().catch((error: unknown) => {
  say(`dokku-mcp: failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

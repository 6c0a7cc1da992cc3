#!/usr/bin/env node
import 'reflect-metadata';
import { McpServerFactory } from './adapters/inbound/mcp/server-factory.js';
import { serveStdio, type StdioHandle } from './adapters/inbound/mcp/transports/stdio-transport.js';
import { buildContainer, Disposables } from './container.js';
import { packageVersion } from './config/config-files.js';
import { ConfigError, loadConfig, type AppConfig } from './config/load-config.js';
import { Logger } from './ports/logger.port.js';

/** How long shutdown may take to close the session and the SSH connection before the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 3_000;

/** stdout is the MCP protocol in stdio mode: everything for humans goes to stderr. */
const say = (text: string): void => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);

function banner(config: AppConfig, version: string): string {
  const entry = process.argv[1] ?? 'dist/main.js';
  const host = config.dokku.sandbox
    ? 'SANDBOX MODE: a built-in SIMULATED Dokku host (seeded demo apps); no real server is touched.'
    : `Dokku host: ${config.ssh.user}@${config.ssh.host}:${config.ssh.port} over SSH.`;
  const connect =
    config.transport.type === 'stdio'
      ? `Speaking MCP over stdio. Connect a client by giving it the command: ${process.execPath} ${entry}${config.dokku.sandbox ? ' --sandbox' : ''}`
      : `Speaking MCP over HTTP on http://${config.transport.host}:${config.transport.port}/mcp`;
  return [`dokku-mcp ${version}`, host, connect, 'Logs go to stderr. Ctrl-C stops.'].join('\n');
}

async function main(): Promise<void> {
  let loaded;
  try {
    loaded = loadConfig({ argv: process.argv.slice(2), env: process.env });
  } catch (error) {
    if (error instanceof ConfigError) {
      say(`${error.message.startsWith('dokku-mcp') ? '' : 'dokku-mcp: '}${error.message}\nRun with --help for the options.`);
      process.exit(2);
    }
    throw error;
  }
  if (loaded.kind !== 'run') {
    say(loaded.text);
    return;
  }
  const config = loaded.config;
  if (config.transport.type !== 'stdio') {
    say('dokku-mcp: the HTTP transport is not available in this version; use --transport stdio.');
    process.exit(2);
  }
  const version = packageVersion();
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
  say(banner(config, version));

  let server: StdioHandle | undefined;
  const stop = async (why: string, exitCode: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    // Releasing SSH is worth a moment, not a hang: a host that does not answer the close must not keep us alive.
    setTimeout(() => process.exit(exitCode), SHUTDOWN_DEADLINE_MS).unref();
    logger.info('shutting down', { why });
    await server?.close().catch(() => undefined);
    await container.get<Disposables>(Disposables).dispose().catch(() => undefined);
    process.exit(exitCode);
  };
  server = await serveStdio(container.get(McpServerFactory), logger, { onClientGone: (gone) => void stop(gone.reason, gone.exitCode) });
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
}

main().catch((error: unknown) => {
  say(`dokku-mcp: failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

#!/usr/bin/env node
import 'reflect-metadata';
import { McpServerFactory } from './adapters/inbound/mcp/server-factory.js';
import { serveStdio } from './adapters/inbound/mcp/transports/stdio-transport.js';
import { buildContainer, Disposables } from './container.js';
import { packageVersion } from './config/config-files.js';
import { ConfigError, loadConfig, type AppConfig } from './config/load-config.js';
import { Logger } from './ports/logger.port.js';

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
  // A client's input, a Dokku error or a dropped connection must never take the server down.
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', { reason: String(reason) }));
  process.on('uncaughtException', (error) => logger.error('uncaught exception', { error }));
  if (!config.dokku.sandbox && !config.ssh.strictHostKey && !config.ssh.knownHosts && !config.ssh.hostKeyFingerprint) {
    logger.warn('ssh.strict_host_key is false and no host key is pinned: the Dokku host is NOT verified (open to MITM). Pin it with ssh.host_key_fingerprint.');
  }
  say(banner(config, version));

  const server = await serveStdio(container.get(McpServerFactory), logger);
  let stopping = false;
  const stop = async (why: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { why });
    await server.close().catch(() => undefined);
    await container.get<Disposables>(Disposables).dispose().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.stdin.on('end', () => void stop('stdin closed'));
}

main().catch((error: unknown) => {
  say(`dokku-mcp: failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

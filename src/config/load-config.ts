import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import convict from 'convict';
import { accessConfig } from './access-config.js';
import { toAppConfig, optionalText, type AppConfig } from './app-config.js';
import { helpText, parseCliArgs } from './cli-args.js';
import { ConfigError } from './config-error.js';
import { defaultConfigPath, packageVersion, readConfigFile, shapeProblems } from './config-files.js';
import { registerConfigFormats } from './config-formats.js';
import { ConfigOrigins } from './config-origins.js';
import { unknownEnvWarnings } from './env-warnings.js';
import { configSchema, ENV_PREFIX, type RawConfig } from './config-schema.js';
import { displayRedisUrl, redisUrlProblem } from './store-config.js';

export type { AppConfig } from './app-config.js';
export { ConfigError } from './config-error.js';

export type CliResult =
  /** `check`: --check was given; `warnings`: things worth telling the operator that do not stop start-up. */
  | { kind: 'run'; config: AppConfig; check: boolean; warnings: string[] }
  | { kind: 'help'; text: string }
  | { kind: 'version'; text: string };

/**
 * Builds the configuration from, lowest to highest precedence: schema defaults < config/default.yaml (shipped)
 * < --config FILE < DOKKU_MCP_* environment variables < flags. Throws ConfigError; never writes anywhere
 * (stdout is the MCP protocol).
 */
export function loadConfig(options: { argv: string[]; env: NodeJS.ProcessEnv }): CliResult {
  registerConfigFormats();
  const cli = parseCliArgs(options.argv);
  if (cli.help) return { kind: 'help', text: helpText(packageVersion()) };
  if (cli.version) return { kind: 'version', text: `dokku-mcp ${packageVersion()}` };

  const env = withoutEmptyOwnVars(options.env);
  const origins = new ConfigOrigins(env);
  // `args: []`: convict would otherwise parse process.argv itself; flags are ours to handle.
  const config = convict<RawConfig>(configSchema, { env, args: [] });

  const sources: string[] = [];
  const files: { path: string; content: Record<string, unknown> }[] = [];
  if (existsSync(defaultConfigPath())) files.push({ path: defaultConfigPath(), content: readConfigFile(defaultConfigPath()) });
  if (cli.configFile !== undefined) {
    const path = resolve(cli.configFile);
    files.push({ path, content: readConfigFile(path) });
  }
  const shape = files.flatMap((f) => shapeProblems(f.content, f.path));
  if (shape.length) throw new ConfigError(shape);
  for (const { path, content } of files) {
    config.load(content); // convict re-applies the environment after each load, keeping env above files
    origins.addFile(path, content);
    sources.push(path);
  }
  for (const { key, flag, value } of cli.settings) {
    config.set(key, value);
    origins.addFlag(key, flag, value);
  }

  const current = (key: string): unknown => config.get(key as never);
  const warnings: string[] = [];
  try {
    // strict: a key no schema entry claims is an error; output: convict would print warnings to stdout.
    config.validate({ allowed: 'strict', output: (message) => warnings.push(message) });
  } catch (e) {
    const lines = (e as Error).message.split('\n').filter((l) => l.trim() !== '');
    throw new ConfigError([...lines.map((l) => origins.explain(l, current)), ...warnings]);
  }
  if (warnings.length) throw new ConfigError(warnings);

  const raw = config.getProperties();
  const access = accessConfig(raw, options.env);
  const problems = [...crossKeyProblems(raw, origins, current), ...access.problems];
  if (problems.length) throw new ConfigError(problems);
  const tokenEnv = access.config.tokens.flatMap((token) => ('env' in token.secret ? [token.secret.env] : []));
  const notices = unknownEnvWarnings(env, [raw.ssh.key_passphrase_env, ...tokenEnv]);
  const portGiven = origins.given('transport.port', defaultConfigPath());
  return { kind: 'run', config: toAppConfig(raw, options.env, sources, access.config, portGiven), check: cli.check, warnings: notices };
}

/** An empty DOKKU_MCP_* variable (a blank template value in compose or systemd) counts as not given. */
function withoutEmptyOwnVars(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k, v]) => !(k.startsWith(ENV_PREFIX) && v === '')));
}

function crossKeyProblems(raw: RawConfig, origins: ConfigOrigins, current: (key: string) => unknown): string[] {
  const problems: string[] = [];
  const from = (key: string): string => origins.describe(key, current(key));
  if (raw.logs.runtime.default_lines > raw.logs.runtime.max_lines) {
    problems.push(
      `logs.runtime.default_lines (${from('logs.runtime.default_lines')}) must not exceed ` +
        `logs.runtime.max_lines (${from('logs.runtime.max_lines')}).`,
    );
  }
  const store = raw.transport.event_store;
  if (store.max_events_per_session > store.max_events) {
    problems.push(
      `transport.event_store.max_events_per_session (${from('transport.event_store.max_events_per_session')}) must not exceed ` +
        `transport.event_store.max_events (${from('transport.event_store.max_events')}).`,
    );
  }
  problems.push(...storeProblems(raw, origins));
  const host = optionalText(raw.ssh.host);
  if (host === undefined && !raw.dokku.sandbox) {
    problems.push(
      'dokku-mcp needs a Dokku host. For a real host give --ssh-host HOST, the DOKKU_MCP_SSH_HOST environment ' +
        'variable, or ssh.host in a config file (--config FILE); to try it on the built-in simulated host give ' +
        '--sandbox, DOKKU_MCP_DOKKU_SANDBOX=true, or dokku.sandbox: true in a config file.',
    );
  } else if (host !== undefined && raw.dokku.sandbox) {
    problems.push(
      `Both a real Dokku host, ssh.host (${from('ssh.host')}), and the simulated host, dokku.sandbox ` +
        `(${from('dokku.sandbox')}), are set; ambiguous. Keep one: unset ssh.host to use the sandbox, or ` +
        'drop --sandbox / set dokku.sandbox: false to use the real host.',
    );
  }
  return problems;
}

/** store.redis_url is checked here so that a message shows it with its password hidden. */
function storeProblems(raw: RawConfig, origins: ConfigOrigins): string[] {
  const url = optionalText(raw.store.redis_url);
  const shown = (u: string) => `store.redis_url (${displayRedisUrl(u)}, from ${origins.source('store.redis_url')})`;
  if (url !== undefined) {
    const problem = redisUrlProblem(url);
    if (problem) return [`${shown(url)} ${problem}. Give redis://HOST:PORT, e.g. redis://127.0.0.1:6379 (a password: redis://:PASSWORD@HOST:PORT).`];
  }
  if (raw.store.type === 'redis' && url === undefined) {
    return ['store.type is redis but store.redis_url is not set: give it (--redis-url URL, DOKKU_MCP_STORE_REDIS_URL, or store.redis_url in a config file), e.g. redis://127.0.0.1:6379; or set store.type: memory for one process.'];
  }
  return [];
}

import { distance } from './config-files.js';
import { CONFIG_KEYS, ENV_PREFIX, envVarFor, FILE_ONLY_SECTIONS, hasEnv } from './config-schema.js';

/**
 * A DOKKU_MCP_* variable no key reads is most likely a typo (DOKKU_MCP_SSH_HOSTS) that silently does nothing: warn,
 * naming the nearest known variable. A warning, not a refusal: the environment is shared with other tools.
 * `named` are variables the configuration itself points at (ssh.key_passphrase_env), which are not typos.
 */
export function unknownEnvWarnings(env: NodeJS.ProcessEnv, named: readonly string[]): string[] {
  const known = CONFIG_KEYS.filter(hasEnv).map(envVarFor);
  const fileOnly = FILE_ONLY_SECTIONS.map((section) => envVarFor(section));
  return Object.keys(env)
    .filter((name) => name.startsWith(ENV_PREFIX) && !known.includes(name) && !named.includes(name))
    .sort()
    .map((name) => {
      if (fileOnly.some((prefix) => name === prefix || name.startsWith(`${prefix}_`))) {
        return `the environment variable ${name} is ignored: ${FILE_ONLY_SECTIONS.join(' and ')} are set in the config file only (--config FILE), never through the environment.`;
      }
      const nearest = [...known].sort((a, b) => distance(name, a) - distance(name, b))[0];
      return `the environment variable ${name} is not one dokku-mcp reads; it is ignored. Did you mean ${nearest}? (a key's variable is DOKKU_MCP_ + its path upper-cased, dots as underscores; see --help)`;
    });
}

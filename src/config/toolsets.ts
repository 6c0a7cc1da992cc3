/**
 * Groups of MCP tools an operator turns on with `tools.toolsets` / `--toolsets a,b` (`all` for every one). The
 * default keeps `tools/list` small; the later groups (services, letsencrypt, ssh_keys) are opt-in.
 */
export const TOOLSETS = ['apps', 'deploys', 'logs', 'config', 'domains', 'services', 'letsencrypt', 'ssh_keys'] as const;
export type Toolset = (typeof TOOLSETS)[number];

export const DEFAULT_TOOLSETS: readonly Toolset[] = ['apps', 'deploys', 'logs', 'config', 'domains'];

/** The word that enables every toolset. */
export const ALL_TOOLSETS = 'all';

export const isToolset = (name: string): name is Toolset => (TOOLSETS as readonly string[]).includes(name);

/** `all` stands for every toolset; the order is TOOLSETS' order, whatever order the operator wrote. */
export function resolveToolsets(names: readonly string[]): Toolset[] {
  if (names.includes(ALL_TOOLSETS)) return [...TOOLSETS];
  return TOOLSETS.filter((name) => names.includes(name));
}

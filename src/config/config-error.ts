/**
 * The configuration cannot be used: a bad value, an unknown key, a missing Dokku host, an unknown flag.
 * Start-up stops and the message (already written for an operator: key, value, source, what is accepted)
 * goes to stderr. `problems` holds each problem on its own, for callers that want to list them.
 */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: string | readonly string[]) {
    const list = typeof problems === 'string' ? [problems] : [...problems];
    super(list.length === 1 ? list[0] : `Invalid configuration:\n${list.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = list;
  }
}

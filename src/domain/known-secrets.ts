import { Sanitizer } from './sanitizer.js';

/**
 * Every app's config values this process has read (as configLiterals chose them), for text that is not about one app
 * the writer knows of: the server's own log. A Dokku error logged by a background task (a deploy's check, a stream's
 * refusal) may echo an app's value that only that app's sanitizer knew. Held per app (replaced on each read, so a
 * value removed from the config is forgotten), redacted with the base rules plus all of them.
 */
export class KnownSecrets {
  private readonly byApp = new Map<string, readonly string[]>();
  private current: Sanitizer;

  constructor(private readonly base: Sanitizer) {
    this.current = base;
  }

  /** The literals of `app` now (an empty list forgets it). */
  remember(app: string, literals: readonly string[]): void {
    const previous = this.byApp.get(app);
    if (previous && previous.length === literals.length && previous.every((value, i) => value === literals[i])) return;
    if (literals.length === 0) this.byApp.delete(app);
    else this.byApp.set(app, [...literals]);
    const all = [...new Set([...this.byApp.values()].flat())];
    this.current = all.length ? this.base.withSecrets(all) : this.base;
  }

  redact(text: string): string {
    return this.current.redact(text);
  }
}

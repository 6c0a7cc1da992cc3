import { inject, injectable, optional } from 'inversify';
import { AppName } from '../../domain/app-name.js';
import { configLiterals } from '../../domain/config-literals.js';
import { isDomainError } from '../../domain/domain-errors.js';
import { KnownSecrets } from '../../domain/known-secrets.js';
import { Sanitizer } from '../../domain/sanitizer.js';
import { Clock } from '../../ports/clock.port.js';
import { DokkuConfig } from '../../ports/dokku-config.port.js';
import { Logger } from '../../ports/logger.port.js';

/** How long an app's config values are reused: runtime-log polls stay one SSH command each. */
export const APP_SECRETS_TTL_MS = 30_000;
/** Values just set through this server are redacted this long whatever a read of the config says (it may predate them). */
const LEARNED_MS = 10 * 60_000;

interface Cached {
  readonly until: number;
  readonly sanitizer: Promise<Sanitizer>;
}

/**
 * The sanitizer for one app's output: the pattern rules plus that app's own config values as literals (see
 * configLiterals). Values are read through DokkuConfig and cached for APP_SECRETS_TTL_MS; ConfigureApp and
 * UnsetAppConfig say when they change them. Reading the config never fails a caller: on error the pattern-only
 * sanitizer is used and a warning logged.
 */
@injectable()
export class AppSecrets {
  private readonly cache = new Map<string, Cached>();
  private readonly learned = new Map<string, { until: number; vars: Record<string, string> }>();

  constructor(
    @inject(DokkuConfig) private readonly config: DokkuConfig,
    @inject(Sanitizer) private readonly base: Sanitizer,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) private readonly logger: Logger,
    /** Told every app's values as they are read, for the server's own log (which has no app to ask about). */
    @inject(KnownSecrets) @optional() private readonly known?: KnownSecrets,
  ) {}

  /** Never rejects. */
  sanitizerFor(app: AppName): Promise<Sanitizer> {
    const now = this.clock.now().getTime();
    const cached = this.cache.get(app.value);
    if (cached && cached.until > now) return cached.sanitizer;
    const entry: Cached = { until: now + APP_SECRETS_TTL_MS, sanitizer: this.load(app, () => entry) };
    this.cache.set(app.value, entry);
    return entry.sanitizer;
  }

  /**
   * `text` (e.g. an error message of a call about the app named `appName`) redacted with that app's values too; with
   * the pattern rules only when `appName` is not a valid app name.
   */
  async redact(appName: unknown, text: string): Promise<string> {
    let app: AppName;
    // Only a name given as a string: String(undefined) is "undefined", a valid app name whose config we must not read.
    if (typeof appName !== 'string') return this.base.redact(text);
    try {
      app = AppName.of(appName);
    } catch {
      return this.base.redact(text);
    }
    return (await this.sanitizerFor(app)).redact(text);
  }

  /** These variables are being set on the app: redact their values from now on, and read the config afresh next time. */
  learn(app: AppName, vars: Readonly<Record<string, string>>): void {
    const previous = this.learnedVars(app);
    this.learned.set(app.value, { until: this.clock.now().getTime() + LEARNED_MS, vars: { ...previous, ...vars } });
    this.known?.remember(`${app.value} (being set)`, configLiterals({ ...previous, ...vars }));
    this.cache.delete(app.value);
  }

  /** The app's config changed (keys unset): read it afresh next time. */
  forget(app: AppName): void {
    this.cache.delete(app.value);
  }

  private async load(app: AppName, self: () => Cached): Promise<Sanitizer> {
    const learned = configLiterals(this.learnedVars(app));
    try {
      const vars = await this.config.get(app);
      const literals = [...configLiterals(vars), ...learned];
      this.known?.remember(app.value, literals);
      return this.base.withSecrets(literals);
    } catch (error) {
      if (this.cache.get(app.value) === self()) this.cache.delete(app.value); // retry next time
      // A missing app fails the caller's own command anyway; anything else is worth an operator's attention.
      const missing = isDomainError(error) && error.code === 'APP_NOT_FOUND';
      const log = missing ? this.logger.debug.bind(this.logger) : this.logger.warn.bind(this.logger);
      log("could not read the app's config to redact its values; using the pattern rules only", { app: app.value, error });
      return learned.length ? this.base.withSecrets(learned) : this.base;
    }
  }

  private learnedVars(app: AppName): Record<string, string> {
    const entry = this.learned.get(app.value);
    if (entry && entry.until > this.clock.now().getTime()) return entry.vars;
    this.learned.delete(app.value);
    return {};
  }
}

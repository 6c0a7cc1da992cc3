import { InvalidArgument } from './domain-errors.js';

const APP_NAME = /^[a-z0-9][a-z0-9.-]*$/;
/** Dokku's own rule, word for word, so the client sees the same rule the host would apply. */
export const APP_NAME_RULE =
  'an app name must begin with a lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens (e.g. "my-app")';

/** A Dokku app name, validated by Dokku's rule. */
export class AppName {
  private constructor(readonly value: string) {}

  static of(raw: string, field = 'app_name'): AppName {
    if (typeof raw !== 'string' || raw.length === 0) {
      throw new InvalidArgument(field, `${APP_NAME_RULE}; got an empty name`);
    }
    if (raw.length > 200 || !APP_NAME.test(raw)) {
      throw new InvalidArgument(field, `${APP_NAME_RULE}; got ${JSON.stringify(raw.slice(0, 80))}`);
    }
    return new AppName(raw);
  }

  static isValid(raw: string): boolean {
    return typeof raw === 'string' && raw.length <= 200 && APP_NAME.test(raw);
  }

  equals(other: AppName): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }
}

import { InvalidArgument } from './domain-errors.js';

/** The address Let's Encrypt files an account under (letsencrypt:set <app> email <address>). */
export class EmailAddress {
  static readonly RULE = 'an email address such as "ops@example.com" (no spaces or quotes)';
  private constructor(readonly value: string) {}

  static of(raw: string, field = 'email'): EmailAddress {
    const v = typeof raw === 'string' ? raw.trim() : '';
    if (v.length > 254 || !/^[A-Za-z0-9._%+][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(v)) {
      throw new InvalidArgument(field, `${EmailAddress.RULE}; got ${JSON.stringify(String(raw).slice(0, 80))}`);
    }
    return new EmailAddress(v);
  }
}

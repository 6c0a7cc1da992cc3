import { configLiterals } from '../../src/domain/config-literals.js';

describe('configLiterals: which config values are redacted as literals in the app\'s output', () => {
  test('a secret-named value counts from 4 characters', () => {
    expect(configLiterals({ DB_PASSWORD: 'abcd', API_TOKEN: 'xyz', RAILS_MASTER_KEY: 'c0ffee' })).toEqual(['abcd', 'c0ffee']);
  });

  test('another value counts from 8 characters, unless it is one plain word or number under 16', () => {
    const literals = configLiterals({
      STRIPE_WEBHOOK: 'whsec_51Hx9', SHORT: 'ab-12', MODE: 'herokuish', COUNT: '12345678', LONG_WORD: 'supercalifragilistic', HOST: 'db.internal',
    });
    expect(literals.sort()).toEqual(['db.internal', 'supercalifragilistic', 'whsec_51Hx9']);
  });

  test("values of keys Dokku or the platform manages are not secrets", () => {
    expect(configLiterals({ DOKKU_APP_TYPE: 'herokuish-buildpack', GIT_REV: 'a'.repeat(40), BUILDPACK_URL: 'https://github.com/heroku/x.git', NODE_ENV: 'production-eu' })).toEqual([]);
  });

  test('a URL with a password gives the password alone, so the host stays readable', () => {
    expect(configLiterals({ DATABASE_URL: 'postgres://app:Db-Pa55word@db:5432/app' })).toEqual(['Db-Pa55word']);
    expect(configLiterals({ REDIS_URL: 'redis://:p@ss@redis:6379' })).toEqual(['p@ss']);
  });

  test('each line of a multi-line value, trimmed, is a literal too (Dokku echoes such values trimmed)', () => {
    const literals = configLiterals({ SIGNING_CERT: 'first line of cert AAAA\n   second line BBBB  \n}\n' });
    expect(literals).toEqual(expect.arrayContaining(['first line of cert AAAA', 'second line BBBB']));
    expect(literals).not.toContain('}');
  });
});

import { APP_SECRETS_TTL_MS, AppSecrets } from '../../../src/application/config/app-secrets.js';
import { AppName } from '../../../src/domain/app-name.js';
import { EnvKey, EnvValue } from '../../../src/domain/dokku-values.js';
import { HostUnreachable } from '../../../src/domain/domain-errors.js';
import { REDACTED } from '../../../src/domain/sanitizer.js';
import type { DokkuConfig } from '../../../src/ports/dokku-config.port.js';
import { createWorld, type World } from '../../support/sandbox-world.js';

const APP = AppName.of('node-js-app');

/** The world's config adapter, counting reads and failing on demand. */
function counting(config: DokkuConfig) {
  const state = { reads: 0, fail: false };
  const wrapped: DokkuConfig = {
    get: async (app) => {
      state.reads++;
      if (state.fail) throw new HostUnreachable('dokku.test:22', 'connection refused');
      return config.get(app);
    },
    setWithoutRestart: (app, vars) => config.setWithoutRestart(app, vars),
    unsetWithoutRestart: (app, keys) => config.unsetWithoutRestart(app, keys),
  };
  return { state, wrapped };
}

describe('AppSecrets', () => {
  let world: World;
  let reads: { reads: number; fail: boolean };
  let secrets: AppSecrets;
  const set = (key: string, value: string) => world.config.setWithoutRestart(APP, [[EnvKey.of(key), EnvValue.of(value)]]);

  beforeEach(async () => {
    world = createWorld();
    await set('STRIPE_WEBHOOK', 'whsec_51Hx9Zq');
    const { state, wrapped } = counting(world.config);
    reads = state;
    secrets = new AppSecrets(wrapped, world.sanitizer, world.clock, world.logger);
  });
  afterEach(() => world.dispose());

  test("redacts the app's config values as literals, on top of the patterns", async () => {
    const sanitizer = await secrets.sanitizerFor(APP);
    expect(sanitizer.redact('webhook whsec_51Hx9Zq ok; password=x')).toBe(`webhook ${REDACTED} ok; password=${REDACTED}`);
  });

  test(`reads the config once per ${APP_SECRETS_TTL_MS / 1000} s, however many calls (concurrent ones too)`, async () => {
    await Promise.all([secrets.sanitizerFor(APP), secrets.sanitizerFor(APP), secrets.sanitizerFor(APP)]);
    world.clock.advance(APP_SECRETS_TTL_MS - 1);
    await secrets.sanitizerFor(APP);
    expect(reads.reads).toBe(1);
    world.clock.advance(1);
    await secrets.sanitizerFor(APP);
    expect(reads.reads).toBe(2);
  });

  test('learn() redacts values being set at once and reads the config afresh; forget() reads afresh', async () => {
    await secrets.sanitizerFor(APP);
    secrets.learn(APP, { NEW_SECRET_TOKEN: 'fresh-token-1' }); // not yet on the host
    expect((await secrets.sanitizerFor(APP)).redact('got fresh-token-1')).toBe(`got ${REDACTED}`);
    expect(reads.reads).toBe(2);
    secrets.forget(APP);
    await secrets.sanitizerFor(APP);
    expect(reads.reads).toBe(3);
  });

  test('a failed config read never fails the caller: pattern rules only, a warning, and a retry next time', async () => {
    reads.fail = true;
    const sanitizer = await secrets.sanitizerFor(APP);
    expect(sanitizer.redact('whsec_51Hx9Zq password=x')).toBe(`whsec_51Hx9Zq password=${REDACTED}`);
    expect(world.logger.entries).toContainEqual(expect.objectContaining({ level: 'warn', msg: expect.stringContaining('config') }));
    reads.fail = false;
    expect((await secrets.sanitizerFor(APP)).redact('whsec_51Hx9Zq')).toBe(REDACTED);
  });

  test('redact() names the app by the string a client gave; an invalid name gets the patterns only', async () => {
    expect(await secrets.redact('node-js-app', 'Dokku said whsec_51Hx9Zq')).toBe(`Dokku said ${REDACTED}`);
    expect(await secrets.redact('../etc', 'password=x whsec_51Hx9Zq')).toBe(`password=${REDACTED} whsec_51Hx9Zq`);
    expect(await secrets.redact(undefined, 'password=x')).toBe(`password=${REDACTED}`);
  });
});

import { AppSecrets } from '../../../src/application/config/app-secrets.js';
import { GetRuntimeLogs } from '../../../src/application/logs/get-runtime-logs.use-case.js';
import { ContainerChanges } from '../../../src/application/logs/container-changes.js';
import { RuntimeLogHub } from '../../../src/application/logs/runtime-log-hub.js';
import type { DokkuApps } from '../../../src/ports/dokku-apps.port.js';
import { REDACTED, Sanitizer } from '../../../src/domain/sanitizer.js';
import type { DokkuConfig } from '../../../src/ports/dokku-config.port.js';
import { FakeClock } from '../../support/fake-clock.js';
import { RecordingLogger } from '../../support/recording-logger.js';
import { ScriptedDokkuLogs, type ScriptedContainer } from '../../support/scripted-dokku-logs.js';
import { TEST_LIMITS, OPEN_ACCESS, OPERATOR } from '../../support/sandbox-world.js';
import { FORMATTED_SECRETS } from '../../support/secret-forms.js';

/** An app "api" whose config holds `vars`. */
function configOf(vars: Record<string, string>): DokkuConfig {
  return { get: async () => ({ ...vars }), setWithoutRestart: async () => {}, unsetWithoutRestart: async () => {} };
}
export function runtimeLogsOf(containers: readonly ScriptedContainer[], vars: Record<string, string> = {}): GetRuntimeLogs {
  const secrets = new AppSecrets(configOf(vars), new Sanitizer(), new FakeClock(), new RecordingLogger());
  return withoutStreams(new ScriptedDokkuLogs(containers), secrets);
}

/** Nothing is followed here: every poll goes to the (scripted) host. */
function withoutStreams(logs: ScriptedDokkuLogs, secrets: AppSecrets): GetRuntimeLogs {
  const hub = new RuntimeLogHub(logs, {} as DokkuApps, secrets, TEST_LIMITS, new RecordingLogger(), new ContainerChanges());
  return new GetRuntimeLogs(logs, TEST_LIMITS, secrets, OPEN_ACCESS, hub);
}

const KEY_BODY = ['MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo', '4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onL', 'Rnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKf', 'BstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgi', 'zq+HdQ0Ivlm3jIyjl3aM1q8kRh5sqqRmU7pd'];
const KEY = ['-----BEGIN RSA PRIVATE KEY-----', ...KEY_BODY, '-----END RSA PRIVATE KEY-----'];
const WEB = ['> node index.js', 'Loading signing key from env:', ...KEY, 'Listening on 5000', 'GET / 200 12 ms', 'GET /health 200 1 ms'];
const WORKER = Array.from({ length: WEB.length }, (_, k) => `Processing job ${k}`);

function leaked(messages: readonly string[]): string[] {
  return messages.filter((m) => KEY_BODY.some((body) => m.includes(body)));
}

describe('GetRuntimeLogs: a window never shows part of a private key (issue 14)', () => {
  const scenarios = [
    ['one container', [{ proc: 'web.1', messages: WEB }]],
    ['two containers interleaved', [{ proc: 'web.1', messages: WEB }, { proc: 'worker.1', messages: WORKER }]],
  ] as const;

  describe.each(scenarios)('%s', (_name, containers) => {
    const total = containers.reduce((n, c) => n + c.messages.length, 0);

    const read = (lines: number) =>
      runtimeLogsOf(containers).execute(OPERATOR, { appName: 'api', lines });

    test('the whole log: the key body is redacted, every other line is intact', async () => {
      const messages = (await read(total)).entries.map((e) => e.message);
      expect(leaked(messages)).toEqual([]);
      const plain = containers.flatMap((c) => c.messages).filter((m) => !KEY.includes(m));
      expect(messages.filter((m) => !m.includes(REDACTED) && !m.startsWith('-----BEGIN'))).toEqual(expect.arrayContaining(plain));
    });

    test('every window size is the newest lines of the redacted whole log: nothing of the key shows', async () => {
      const whole = (await read(total)).entries;
      for (let lines = 1; lines <= total + 2; lines++) {
        const window = (await read(lines)).entries;
        expect({ lines, leaked: leaked(window.map((e) => e.message)) }).toEqual({ lines, leaked: [] });
        expect({ lines, window }).toEqual({ lines, window: whole.slice(-lines) });
      }
    });
  });

  test('a window that starts inside the key starts redacted, up to the END marker', async () => {
    const getLogs = runtimeLogsOf([{ proc: 'web.1', messages: WEB }]);
    const messages = (await getLogs.execute(OPERATOR, { appName: 'api', lines: 6 })).entries.map((e) => e.message);
    expect(messages).toEqual([REDACTED, REDACTED, `${REDACTED}-----END RSA PRIVATE KEY-----`, 'Listening on 5000', 'GET / 200 12 ms', 'GET /health 200 1 ms']);
  });

  test('one container inside a key does not blank the other container\'s lines', async () => {
    const containers = [{ proc: 'web.1', messages: WEB }, { proc: 'worker.1', messages: WORKER }];
    const getLogs = runtimeLogsOf(containers);
    const entries = (await getLogs.execute(OPERATOR, { appName: 'api', lines: WEB.length * 2 })).entries;
    expect(entries.filter((e) => e.process === 'worker.1').map((e) => e.message)).toEqual(WORKER);
  });
});

describe("GetRuntimeLogs: the app's config values and the formatted forms, in every window (issue 14)", () => {
  const CONFIG = { STRIPE_WEBHOOK: 'whsec_51Hx9Zq', RAILS_MASTER_KEY: 'c0ffee42', SIGNING_CERT: 'first line of cert AAAA\n  second line BBBB ' };
  const SECRETS = ['whsec_51Hx9Zq', 'c0ffee42', 'first line of cert AAAA', 'second line BBBB', ...FORMATTED_SECRETS.map(([input]) => input)];
  const messages = [
    'booting',
    'webhook secret whsec_51Hx9Zq',
    'master key: c0ffee42',
    'first line of cert AAAA',
    'second line BBBB',
    ...FORMATTED_SECRETS.map(([input]) => input),
    'ready',
  ];

  test('no window shows a config value or any formatted secret; each form comes back as the sanitizer redacts it', async () => {
    const getLogs = runtimeLogsOf([{ proc: 'web.1', messages }], CONFIG);
    for (let lines = 1; lines <= messages.length; lines++) {
      const shown = (await getLogs.execute(OPERATOR, { appName: 'api', lines })).entries.map((e) => e.message);
      const expected = ['booting', `webhook secret ${REDACTED}`, `master key: ${REDACTED}`, REDACTED, REDACTED, ...FORMATTED_SECRETS.map(([, out]) => out), 'ready'];
      expect({ lines, shown }).toEqual({ lines, shown: expected.slice(-lines) });
      expect(shown.filter((m) => SECRETS.some((s) => m.includes(s) && !expected.includes(m)))).toEqual([]);
    }
  });

  test('a failure to read the config does not break the log read', async () => {
    const failing: DokkuConfig = { ...configOf({}), get: async () => Promise.reject(new Error('boom')) };
    const logger = new RecordingLogger();
    const secrets = new AppSecrets(failing, new Sanitizer(), new FakeClock(), logger);
    const getLogs = withoutStreams(new ScriptedDokkuLogs([{ proc: 'web.1', messages: ['DB_PASS=pl41n-pass', 'ok'] }]), secrets);
    expect((await getLogs.execute(OPERATOR, { appName: 'api', lines: 2 })).entries.map((e) => e.message)).toEqual([`DB_PASS=${REDACTED}`, 'ok']);
    expect(logger.entries.map((e) => e.level)).toContain('warn');
  });
});

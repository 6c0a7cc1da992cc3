import { AppSecrets } from '../../../src/application/config/app-secrets.js';
import { GetRuntimeLogs } from '../../../src/application/logs/get-runtime-logs.use-case.js';
import { REDACTED, Sanitizer } from '../../../src/domain/sanitizer.js';
import type { DokkuConfig } from '../../../src/ports/dokku-config.port.js';
import { FakeClock } from '../../support/fake-clock.js';
import { RecordingLogger } from '../../support/recording-logger.js';
import { ScriptedDokkuLogs, type ScriptedContainer } from '../../support/scripted-dokku-logs.js';
import { TEST_LIMITS } from '../../support/sandbox-world.js';

/** An app "api" whose config holds `vars`. */
function configOf(vars: Record<string, string>): DokkuConfig {
  return { get: async () => ({ ...vars }), setWithoutRestart: async () => {}, unsetWithoutRestart: async () => {} };
}
export function runtimeLogsOf(containers: readonly ScriptedContainer[], vars: Record<string, string> = {}): GetRuntimeLogs {
  const secrets = new AppSecrets(configOf(vars), new Sanitizer(), new FakeClock(), new RecordingLogger());
  return new GetRuntimeLogs(new ScriptedDokkuLogs(containers), TEST_LIMITS, secrets);
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
      runtimeLogsOf(containers).execute({ appName: 'api', lines });

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
    const messages = (await getLogs.execute({ appName: 'api', lines: 6 })).entries.map((e) => e.message);
    expect(messages).toEqual([REDACTED, REDACTED, `${REDACTED}-----END RSA PRIVATE KEY-----`, 'Listening on 5000', 'GET / 200 12 ms', 'GET /health 200 1 ms']);
  });

  test('one container inside a key does not blank the other container\'s lines', async () => {
    const containers = [{ proc: 'web.1', messages: WEB }, { proc: 'worker.1', messages: WORKER }];
    const getLogs = runtimeLogsOf(containers);
    const entries = (await getLogs.execute({ appName: 'api', lines: WEB.length * 2 })).entries;
    expect(entries.filter((e) => e.process === 'worker.1').map((e) => e.message)).toEqual(WORKER);
  });
});

/**
 * The command builder against the real thing (fast-check, bounded): random inputs built as the adapters build them and
 * sent over one SSH connection to the real sshd, whose forced command is the Dokku stand-in (it re-splits the line as
 * Dokku does: xargs and echo per word for most commands, bare word splitting for git*). For every input, the argv the
 * stand-in records is exactly the intended one, or the builder refused it and nothing at all reached the host.
 */
import fc from 'fast-check';
import type { SshDokkuAdapters } from '../../../../src/adapters/outbound/ssh/create-ssh-dokku-adapters.js';
import { build, commandSpec, intended } from '../../../support/dokku-command-specs.js';
import { startSshd, type SshdFixture } from '../../../support/sshd-fixture.js';
import { sshAdapters } from './ssh-test-support.js';

let fixture: SshdFixture;
let ssh: SshDokkuAdapters;

beforeAll(async () => {
  fixture = await startSshd({ deployStepMs: 5 });
  fixture.seed({ apps: {} }); // no app: whatever arrives, nothing deploys
  ssh = sshAdapters(fixture);
});
afterAll(async () => {
  await ssh?.connection.close();
  await fixture?.stop();
});

describe('DokkuCommand over the real sshd and the stand-in', () => {
  it('the stand-in records exactly the intended argv, or nothing was sent', async () => {
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(commandSpec(), async (spec) => {
        fixture.clearArgvLog();
        const want = intended(spec);
        let line: string | undefined;
        try {
          line = build(spec).toString();
        } catch (error) {
          expect('refused' in want).toBe(true);
          expect(['InvalidArgument', 'LimitExceeded']).toContain((error as Error).constructor.name);
        }
        if (line !== undefined) {
          await ssh.connection.exec(line); // Dokku's answer (mostly a refusal of the odd value) does not matter here
          sent++;
        }
        expect(fixture.argvLog()).toEqual('argv' in want ? [want.argv] : []);
      }),
      { numRuns: 150 },
    );
    expect(sent).toBeGreaterThan(40); // most runs reached the host: the property was not vacuous
    expect(ssh.connection.connections).toBe(1);
  });
});

/**
 * `make standin`: the SSH mode without a Dokku host. Starts the test suites' real OpenSSH sshd on 127.0.0.1 with the
 * Dokku stand-in (tests/fixtures/dokku-standin) as forced command, prints the flags that point the server at it, and
 * stays up until Ctrl-C. This is a developer tool, not the MCP server: its stdout is for the person who ran it.
 * Compiled with the fixture by tsconfig.standin.json (as the benchmark is), and run from the repository root.
 */
import { startSshd } from '../tests/support/sshd-fixture.js';

/** Single quotes around anything a shell would split or expand. */
const shellWord = (word: string): string => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

async function main(): Promise<void> {
  // Slower than the suites' default, so a person can watch a deploy's log grow.
  const fixture = await startSshd({ deployStepMs: 400, logIntervalMs: 1000 });
  const flags = ['--ssh-host', fixture.host, '--ssh-port', String(fixture.port), '--ssh-user', fixture.user, '--ssh-key', fixture.clientKeyPath];
  const command = `DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT=${shellWord(fixture.hostKeyFingerprint)} node dist/main.js ${flags.map(shellWord).join(' ')}`;
  process.stdout.write([
    `Dokku stand-in over a real sshd on ${fixture.host}:${fixture.port} (state in ${fixture.stateDir}).`,
    'Seeded apps: node-js-app (deployed), python-app (not deployed). A repository URL containing "fail" fails its build.',
    '',
    'Point the server at it (from this directory):',
    `  ${command}`,
    '',
    'Ctrl-C stops the stand-in and deletes its keys and state.',
    '',
  ].join('\n'));

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`standin: ${signal}, stopping sshd\n`);
    fixture.stop().then(() => process.exit(0), (error: unknown) => {
      process.stderr.write(`standin: could not stop cleanly: ${String(error)}\n`);
      process.exit(1);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // sshd's stderr pipe keeps the process alive; this keeps it alive even if that changes.
  setInterval(() => undefined, 1 << 30);
}

main().catch((error: unknown) => {
  process.stderr.write(`standin: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

import type { Logger } from '../../src/ports/logger.port.js';
import { sshAdapters } from '../adapters/outbound/ssh/ssh-test-support.js';
import { startSshd } from '../support/sshd-fixture.js';
import { describeDokkuContract } from './dokku-contract.suite.js';
import { describeDokkuPluginsContract } from './dokku-plugins-contract.suite.js';

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describeDokkuContract('ssh', async () => {
  const fixture = await startSshd({ deployStepMs: 20 });
  // The state the contract expects of every host (see dokku-contract.suite.ts).
  fixture.seed({
    globalDomains: ['dokku.me'],
    apps: {
      'node-js-app': {
        deployed: true, running: true, source: 'https://github.com/heroku/node-js-getting-started.git', ref: 'main',
        config: { DATABASE_URL: 'postgres://app:s3cr3tpw@dokku-postgres-db:5432/app', NODE_ENV: 'production' },
        domains: ['node-js-app.dokku.me'], scale: { web: 1 },
      },
      'python-app': { deployed: false, domains: ['python-app.dokku.me'], scale: { web: 1 } },
    },
  });
  // Verified through known_hosts here (the other suites pin the fingerprint), so both paths meet the contract.
  const ssh = sshAdapters(fixture, { knownHosts: fixture.knownHostsPath, hostKeyFingerprint: undefined }, quiet);
  return {
    ...ssh,
    teardown: async () => {
      await ssh.connection.close();
      await fixture.stop();
    },
  };
});

describeDokkuPluginsContract('ssh', async () => {
  const fixture = await startSshd({ deployStepMs: 5 });
  const ssh = sshAdapters(fixture, {}, quiet);
  return {
    ...ssh,
    teardown: async () => {
      await ssh.connection.close();
      await fixture.stop();
    },
  };
});

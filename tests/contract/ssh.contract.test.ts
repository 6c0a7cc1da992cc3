import { createSshDokkuAdapters } from '../../src/adapters/outbound/ssh/create-ssh-dokku-adapters.js';
import { Sanitizer } from '../../src/domain/sanitizer.js';
import type { Logger } from '../../src/ports/logger.port.js';
import { startSshd } from '../support/sshd-fixture.js';
import { describeDokkuContract } from './dokku-contract.suite.js';

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
  const ssh = createSshDokkuAdapters(
    {
      host: fixture.host,
      port: fixture.port,
      user: fixture.user,
      keyPath: fixture.clientKeyPath,
      knownHosts: fixture.knownHostsPath,
      strictHostKey: true,
      maxChannels: 8,
      connectTimeoutMs: 5000,
      commandTimeoutMs: 15000,
      deployTimeoutMs: 60000,
      keepaliveIntervalMs: 5000,
    },
    { sanitizer: new Sanitizer(), logger: quiet },
  );
  return {
    ...ssh,
    teardown: async () => {
      await ssh.connection.close();
      await fixture.stop();
    },
  };
});

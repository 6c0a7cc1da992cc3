import { SandboxDokkuApps } from '../../src/adapters/outbound/sandbox/sandbox-dokku-apps.adapter.js';
import { SandboxDokkuBuilds } from '../../src/adapters/outbound/sandbox/sandbox-dokku-builds.adapter.js';
import { SandboxDokkuConfig } from '../../src/adapters/outbound/sandbox/sandbox-dokku-config.adapter.js';
import { SandboxDokkuDeploys } from '../../src/adapters/outbound/sandbox/sandbox-dokku-deploys.adapter.js';
import { SandboxDokkuDomains } from '../../src/adapters/outbound/sandbox/sandbox-dokku-domains.adapter.js';
import { SandboxDokkuHost } from '../../src/adapters/outbound/sandbox/sandbox-dokku-host.js';
import { SandboxDokkuLogs } from '../../src/adapters/outbound/sandbox/sandbox-dokku-logs.adapter.js';
import { SandboxDokkuServer } from '../../src/adapters/outbound/sandbox/sandbox-dokku-server.adapter.js';
import { SandboxDokkuLetsencrypt } from '../../src/adapters/outbound/sandbox/sandbox-dokku-letsencrypt.adapter.js';
import { SandboxDokkuServices } from '../../src/adapters/outbound/sandbox/sandbox-dokku-services.adapter.js';
import { SandboxDokkuSshKeys } from '../../src/adapters/outbound/sandbox/sandbox-dokku-ssh-keys.adapter.js';
import { describeDokkuContract } from './dokku-contract.suite.js';
import { describeDokkuPluginsContract } from './dokku-plugins-contract.suite.js';

describeDokkuContract('sandbox', async () => {
  const host = new SandboxDokkuHost({ deployStepMs: 2 });
  return {
    apps: new SandboxDokkuApps(host),
    deploys: new SandboxDokkuDeploys(host),
    builds: new SandboxDokkuBuilds(host),
    logs: new SandboxDokkuLogs(host),
    config: new SandboxDokkuConfig(host),
    domains: new SandboxDokkuDomains(host),
    server: new SandboxDokkuServer(host),
    teardown: async () => host.dispose(),
  };
});

describeDokkuPluginsContract('sandbox', async () => {
  const host = new SandboxDokkuHost({ deployStepMs: 2 });
  return {
    apps: new SandboxDokkuApps(host),
    config: new SandboxDokkuConfig(host),
    deploys: new SandboxDokkuDeploys(host),
    server: new SandboxDokkuServer(host),
    services: new SandboxDokkuServices(host),
    letsencrypt: new SandboxDokkuLetsencrypt(host),
    sshKeys: new SandboxDokkuSshKeys(host),
    teardown: async () => host.dispose(),
  };
});

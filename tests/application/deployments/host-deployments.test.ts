import { describe, expect, it } from '@jest/globals';
import { HostDeployments, LATE_ATTACH_MARKER } from '../../../src/application/deployments/host-deployments.js';
import { AppName } from '../../../src/domain/app-name.js';
import { BuildId } from '../../../src/domain/dokku-values.js';
import type { HostBuild } from '../../../src/domain/host-build.js';
import { REDACTED } from '../../../src/domain/sanitizer.js';
import type { BuildFollow, BuildFollowSink, DokkuBuilds } from '../../../src/ports/dokku-builds.port.js';
import { createWorld } from '../../support/sandbox-world.js';

const RUNNING: HostBuild = { id: '0mabc123xyz', app: 'node-js-app', kind: 'build', source: 'git-hook', status: 'running', startedAt: new Date('2026-05-01T10:00:00Z') };
const BODY = ['MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7', 'Rnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfZm9vYmFyYmF6cXV4cXV1eA=='];

/** A host whose one running build replays `replay` to a follower, cut (its beginning missing) or whole. */
function hostReplaying(replay: string, cut: boolean): DokkuBuilds {
  return {
    supported: async () => true,
    info: async () => RUNNING,
    follow: async (_app: AppName, _id: BuildId, sink: BuildFollowSink): Promise<BuildFollow> => {
      sink.start(cut);
      sink.output(replay);
      return { done: new Promise(() => undefined), stop: () => undefined };
    },
  } as unknown as DokkuBuilds;
}

async function attach(replay: string, cut: boolean): Promise<string> {
  const world = createWorld();
  const hostDeployments = new HostDeployments(hostReplaying(replay, cut), world.store, world.clock, world.limits, world.appSecrets, world.logger);
  const deployment = await hostDeployments.load({ type: 'host', id: `node-js-app.${RUNNING.id}`, app: AppName.of('node-js-app'), buildId: BuildId.of(RUNNING.id) });
  expect(deployment).toBeDefined();
  return (await world.store.readLog(deployment!.id, 0)).text;
}

describe('HostDeployments: attaching late to a running build', () => {
  it('a cut replay that starts inside a private key: the marker first, then the rest of the key redacted', async () => {
    const text = await attach(`${BODY.join('\n')}\n-----END RSA PRIVATE KEY-----\n-----> Building node-js-app\n`, true);
    expect(text).toBe(`${LATE_ATTACH_MARKER}${REDACTED}\n${REDACTED}\n${REDACTED}-----END RSA PRIVATE KEY-----\n-----> Building node-js-app\n`);
    for (const line of BODY) expect(text).not.toContain(line);
  });

  it('a whole replay from the build\'s start: no marker, ordinary lines as they are', async () => {
    const text = await attach('-----> Cleaning up...\n-----> Building node-js-app from herokuish\n', false);
    expect(text).toBe('-----> Cleaning up...\n-----> Building node-js-app from herokuish\n');
  });
});

import { createWorld, OPEN_ACCESS, OPERATOR, type World } from '../../../support/sandbox-world.js';
import { GetRuntimeLogs } from '../../../../src/application/logs/get-runtime-logs.use-case.js';
import { SubscribeRuntimeLogs } from '../../../../src/application/logs/subscribe-runtime-logs.use-case.js';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { ResourceSubscriptions } from '../../../../src/adapters/inbound/mcp/subscriptions.js';
import type { HostDeployments } from '../../../../src/application/deployments/host-deployments.js';
import { GetDeployment } from '../../../../src/application/deployments/get-deployment.use-case.js';
import { WatchDeployment } from '../../../../src/application/deployments/watch-deployment.use-case.js';
import type { BuildLog } from '../../../../src/domain/build-log.js';
import type { Deployment } from '../../../../src/domain/deployment.js';
import { StateStoreUnavailable } from '../../../../src/domain/domain-errors.js';
import { Sanitizer } from '../../../../src/domain/sanitizer.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { DeploymentMother } from '../../../support/mothers/deployment.mother.js';
import { CountingDeploymentStore } from '../../../support/counting-deployment-store.js';
import { RecordingLogger } from '../../../support/recording-logger.js';


const DEBOUNCE = 250;


/** These deployments are all this server's own (deploy_… ids): the host's build record is never asked. */
const NO_HOST_RECORD = { load: async () => undefined } as unknown as HostDeployments;

describe('ResourceSubscriptions', () => {
  let store: CountingDeploymentStore;
  let sent: string[];
  let subscriptions: ResourceSubscriptions;
  let deployment: Deployment;
  let log: BuildLog;
  let world: World;

  beforeEach(() => {
    world = createWorld();
    const subscribeRuntimeLogs = new SubscribeRuntimeLogs(world.hub, OPEN_ACCESS, world.limits, new GetRuntimeLogs(world.logs, world.limits, world.appSecrets, OPEN_ACCESS, world.hub));
    jest.useFakeTimers();
    store = new CountingDeploymentStore(new FakeClock(), { retentionMs: 60_000, maxDeployments: 10 });
    sent = [];
    const server = {
      setRequestHandler: () => undefined,
      sendResourceUpdated: async ({ uri }: { uri: string }) => void sent.push(uri),
    } as unknown as Server;
    const watchDeployment = new WatchDeployment(new GetDeployment(store, OPEN_ACCESS, NO_HOST_RECORD), store);
    subscriptions = new ResourceSubscriptions(server, { watchDeployment, subscribeRuntimeLogs, sanitizer: new Sanitizer(), logger: new RecordingLogger(), caller: OPERATOR, debounceMs: DEBOUNCE });
    deployment = DeploymentMother.running();
    log = DeploymentMother.log();
    void store.add(deployment, log);
  });
  afterEach(() => {
    subscriptions.dispose();
    world.dispose();
    jest.useRealTimers();
  });

  const logsUri = () => `dokku://deployment/${deployment.id}/logs`;

  it('sends one trailing notification for a burst of changes', async () => {
    await subscriptions.subscribe(logsUri());
    for (let i = 0; i < 5; i++) {
      log.append(`line ${i}\n`);
      store.changed(deployment);
    }
    expect(sent).toEqual([]);
    jest.advanceTimersByTime(DEBOUNCE);
    expect(sent).toEqual([logsUri()]);
    log.append('more\n');
    store.changed(deployment);
    jest.advanceTimersByTime(DEBOUNCE);
    expect(sent).toEqual([logsUri(), logsUri()]);
  });

  it('sends at once when the deployment ends, drops the pending one, and releases the watcher', async () => {
    await subscriptions.subscribe(logsUri());
    log.append('building\n');
    store.changed(deployment);
    deployment.succeed(new Date(), 0);
    store.changed(deployment);
    expect(sent).toEqual([logsUri()]);
    jest.advanceTimersByTime(DEBOUNCE * 2);
    expect(sent).toEqual([logsUri()]);
    expect(store.live).toBe(0);
  });

  it('watches the status resource too, each URI on its own', async () => {
    await subscriptions.subscribe(`dokku://deployment/${deployment.id}`);
    await subscriptions.subscribe(logsUri());
    await subscriptions.subscribe(logsUri()); // twice is once
    expect(store.live).toBe(2);
    store.changed(deployment);
    jest.advanceTimersByTime(DEBOUNCE);
    expect(sent.sort()).toEqual([`dokku://deployment/${deployment.id}`, logsUri()].sort());
  });

  it('unsubscribe and dispose remove watchers and pending timers', async () => {
    await subscriptions.subscribe(logsUri());
    await subscriptions.subscribe(`dokku://deployment/${deployment.id}`);
    store.changed(deployment);
    subscriptions.unsubscribe(logsUri());
    expect(store.live).toBe(1);
    subscriptions.dispose();
    expect(store.live).toBe(0);
    jest.advanceTimersByTime(DEBOUNCE * 2);
    expect(sent).toEqual([]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('notifyAll sends one update per subscription at once, ended deployments included, and none after unsubscribe', async () => {
    const ended = DeploymentMother.succeeded();
    void store.add(ended, DeploymentMother.log());
    await subscriptions.subscribe(logsUri());
    await subscriptions.subscribe(`dokku://deployment/${deployment.id}`);
    await subscriptions.subscribe(`dokku://deployment/${ended.id}/logs`);
    subscriptions.notifyAll();
    expect(sent.sort()).toEqual([`dokku://deployment/${deployment.id}`, logsUri(), `dokku://deployment/${ended.id}/logs`].sort());
    sent.length = 0;
    subscriptions.unsubscribe(logsUri());
    subscriptions.notifyAll();
    expect(sent.sort()).toEqual([`dokku://deployment/${deployment.id}`, `dokku://deployment/${ended.id}/logs`].sort());
    sent.length = 0;
    subscriptions.dispose();
    subscriptions.notifyAll();
    expect(sent).toEqual([]);
  });

  it('refuses unknown deployments and other resources', async () => {
    await expect(subscriptions.subscribe('dokku://deployment/deploy_0000000000zz/logs')).rejects.toThrow('does not exist');
    await expect(subscriptions.subscribe('dokku://app/node-js-app')).rejects.toThrow('dokku://app/{name}/logs send update notifications');
    expect(store.live).toBe(0);
  });

  it('a state store that does not answer is an internal error saying so, and leaves no watcher', async () => {
    const unreachable = { execute: async () => { throw new StateStoreUnavailable('Redis at redis://127.0.0.1:6399 (store.redis_url): connect ECONNREFUSED'); } } as unknown as WatchDeployment;
    const server = { setRequestHandler: () => undefined, sendResourceUpdated: async () => undefined } as unknown as Server;
    const subscribeRuntimeLogs = new SubscribeRuntimeLogs(world.hub, OPEN_ACCESS, world.limits, new GetRuntimeLogs(world.logs, world.limits, world.appSecrets, OPEN_ACCESS, world.hub));
    const cut = new ResourceSubscriptions(server, { watchDeployment: unreachable, subscribeRuntimeLogs, sanitizer: new Sanitizer(), logger: new RecordingLogger(), caller: OPERATOR });
    const refused = cut.subscribe(logsUri());
    await expect(refused).rejects.toMatchObject({ code: ErrorCode.InternalError, message: expect.stringContaining('state store unreachable: Redis at') });
    expect(cut.size).toBe(0);
  });
});

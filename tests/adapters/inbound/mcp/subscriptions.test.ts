import { createWorld, OPEN_ACCESS, OPERATOR, type World } from '../../../support/sandbox-world.js';
import { SubscribeRuntimeLogs } from '../../../../src/application/logs/subscribe-runtime-logs.use-case.js';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ResourceSubscriptions } from '../../../../src/adapters/inbound/mcp/subscriptions.js';
import { GetDeployment } from '../../../../src/application/deployments/get-deployment.use-case.js';
import { WatchDeployment } from '../../../../src/application/deployments/watch-deployment.use-case.js';
import type { Deployment } from '../../../../src/domain/deployment.js';
import { Sanitizer } from '../../../../src/domain/sanitizer.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { DeploymentMother } from '../../../support/mothers/deployment.mother.js';
import { CountingDeploymentStore } from '../../../support/counting-deployment-store.js';
import { RecordingLogger } from '../../../support/recording-logger.js';


const DEBOUNCE = 250;

describe('ResourceSubscriptions', () => {
  let store: CountingDeploymentStore;
  let sent: string[];
  let subscriptions: ResourceSubscriptions;
  let deployment: Deployment;
  let world: World;

  beforeEach(() => {
    world = createWorld();
    const subscribeRuntimeLogs = new SubscribeRuntimeLogs(world.hub, OPEN_ACCESS, world.limits);
    jest.useFakeTimers();
    store = new CountingDeploymentStore(new FakeClock(), { retentionMs: 60_000, maxDeployments: 10 });
    sent = [];
    const server = {
      setRequestHandler: () => undefined,
      sendResourceUpdated: async ({ uri }: { uri: string }) => void sent.push(uri),
    } as unknown as Server;
    const watchDeployment = new WatchDeployment(new GetDeployment(store, OPEN_ACCESS), store);
    subscriptions = new ResourceSubscriptions(server, { watchDeployment, subscribeRuntimeLogs, sanitizer: new Sanitizer(), logger: new RecordingLogger(), caller: OPERATOR, debounceMs: DEBOUNCE });
    deployment = DeploymentMother.running();
    store.add(deployment);
  });
  afterEach(() => {
    subscriptions.dispose();
    world.dispose();
    jest.useRealTimers();
  });

  const logsUri = () => `dokku://deployment/${deployment.id}/logs`;

  it('sends one trailing notification for a burst of changes', () => {
    subscriptions.subscribe(logsUri());
    for (let i = 0; i < 5; i++) {
      deployment.log.append(`line ${i}\n`);
      store.changed(deployment);
    }
    expect(sent).toEqual([]);
    jest.advanceTimersByTime(DEBOUNCE);
    expect(sent).toEqual([logsUri()]);
    deployment.log.append('more\n');
    store.changed(deployment);
    jest.advanceTimersByTime(DEBOUNCE);
    expect(sent).toEqual([logsUri(), logsUri()]);
  });

  it('sends at once when the deployment ends, drops the pending one, and releases the watcher', () => {
    subscriptions.subscribe(logsUri());
    deployment.log.append('building\n');
    store.changed(deployment);
    deployment.succeed(new Date(), 0);
    store.changed(deployment);
    expect(sent).toEqual([logsUri()]);
    jest.advanceTimersByTime(DEBOUNCE * 2);
    expect(sent).toEqual([logsUri()]);
    expect(store.live).toBe(0);
  });

  it('watches the status resource too, each URI on its own', () => {
    subscriptions.subscribe(`dokku://deployment/${deployment.id}`);
    subscriptions.subscribe(logsUri());
    subscriptions.subscribe(logsUri()); // twice is once
    expect(store.live).toBe(2);
    store.changed(deployment);
    jest.advanceTimersByTime(DEBOUNCE);
    expect(sent.sort()).toEqual([`dokku://deployment/${deployment.id}`, logsUri()].sort());
  });

  it('unsubscribe and dispose remove watchers and pending timers', () => {
    subscriptions.subscribe(logsUri());
    subscriptions.subscribe(`dokku://deployment/${deployment.id}`);
    store.changed(deployment);
    subscriptions.unsubscribe(logsUri());
    expect(store.live).toBe(1);
    subscriptions.dispose();
    expect(store.live).toBe(0);
    jest.advanceTimersByTime(DEBOUNCE * 2);
    expect(sent).toEqual([]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('notifyAll sends one update per subscription at once, ended deployments included, and none after unsubscribe', () => {
    const ended = DeploymentMother.succeeded();
    store.add(ended);
    subscriptions.subscribe(logsUri());
    subscriptions.subscribe(`dokku://deployment/${deployment.id}`);
    subscriptions.subscribe(`dokku://deployment/${ended.id}/logs`);
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

  it('refuses unknown deployments and other resources', () => {
    expect(() => subscriptions.subscribe('dokku://deployment/deploy_0000000000zz/logs')).toThrow('does not exist');
    expect(() => subscriptions.subscribe('dokku://app/node-js-app')).toThrow('dokku://app/{name}/logs send update notifications');
    expect(store.live).toBe(0);
  });
});

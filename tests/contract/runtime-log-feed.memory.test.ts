import { InMemoryRuntimeLogFeed } from '../../src/adapters/outbound/memory/in-memory-runtime-log-feed.adapter.js';
import { describeRuntimeLogFeedContract } from './runtime-log-feed-contract.suite.js';

// store.type: memory: the process is the installation, so every "instance" is the same feed.
describeRuntimeLogFeedContract('memory', async () => {
  const feed = new InMemoryRuntimeLogFeed(200);
  return { capacity: 200, slack: 0, instance: async () => feed, teardown: async () => undefined };
});

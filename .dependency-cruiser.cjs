/** Architecture rules: keep the hexagon's arrows true. Run by `make arch` inside `make test`. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain imports nothing outside itself: no node: modules, no packages, no other layer.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'application-behind-ports',
      comment: 'Use cases see domain and ports only (plus inversify decorators): no adapters, no I/O libraries, no node: modules.',
      severity: 'error',
      from: { path: '^src/application/' },
      to: {
        pathNot: ['^src/(domain|ports|application)/', '(^|/)node_modules/(inversify|@inversifyjs)/'],
      },
    },
    {
      name: 'ports-are-interfaces',
      comment: 'Ports depend on the domain only.',
      severity: 'error',
      from: { path: '^src/ports/' },
      to: { pathNot: '^src/(domain|ports)/' },
    },
    {
      name: 'mcp-sdk-only-in-mcp-adapter',
      comment: 'Only the inbound MCP adapter may import @modelcontextprotocol/sdk, so a move to SDK v2 touches one folder.',
      severity: 'error',
      from: { pathNot: '^src/adapters/inbound/mcp/' },
      to: { path: '(^|/)node_modules/@modelcontextprotocol/sdk/' },
    },
    {
      name: 'express-only-in-http-adapter',
      comment: 'Only the inbound HTTP adapter may import express (and its cors middleware); the MCP transports take plain node:http requests.',
      severity: 'error',
      from: { pathNot: '^src/adapters/inbound/http/' },
      to: { path: '(^|/)node_modules/(express|cors)/' },
    },
    {
      name: 'node-ssh-only-in-ssh-adapter',
      comment: 'Only the SSH adapter may import node-ssh / ssh2.',
      severity: 'error',
      from: { pathNot: '^src/adapters/outbound/ssh/' },
      to: { path: '(^|/)node_modules/(node-ssh|ssh2)/' },
    },
    {
      name: 'redis-client-only-in-redis-adapter',
      comment: 'Only the Redis adapter may import the Redis client (node-redis): the rest sees StateStore, RateLimiter, SessionPresence, ClusterLock.',
      severity: 'error',
      from: { pathNot: '^src/adapters/outbound/redis/' },
      to: { path: '(^|/)node_modules/(@redis|redis)/' },
    },
    {
      name: 'adapters-do-not-import-each-other',
      comment: 'Inbound adapters drive use cases; they never reach into outbound adapters (the container wires them).',
      severity: 'error',
      from: { path: '^src/adapters/inbound/' },
      to: { path: '^src/adapters/outbound/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.build.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};

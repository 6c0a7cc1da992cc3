import { DEFAULT_TOOLSETS, TOOLSETS, type Toolset } from '../../../../src/config/toolsets.js';
import { startHarness, type Harness } from './mcp-harness.js';

// The budget: the default surface's tools/list, as the UTF-8 bytes of JSON.stringify of the result.
const BUDGET_BYTES = 24 * 1024;
/** What each opt-in toolset may add when an operator turns it on: it counts in the budget then. */
const OPT_IN_BYTES: Partial<Record<Toolset, number>> = { services: 8 * 1024, letsencrypt: 3.5 * 1024, ssh_keys: 2.5 * 1024 };

/** Every property at any depth, with its path, so a test can ask each for a description. */
function properties(schema: Record<string, any>, path: string): [string, Record<string, any>][] {
  const own = Object.entries<Record<string, any>>(schema.properties ?? {}).flatMap(([name, child]) => [
    [`${path}.${name}`, child] as [string, Record<string, any>],
    ...properties(child, `${path}.${name}`),
  ]);
  const items = schema.items ? properties(schema.items, `${path}[]`) : [];
  return [...own, ...items];
}

describe('tools/list size', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('keeps the default surface within 24 KB, every tool with an output schema and every field described', async () => {
    h = await startHarness();
    const listed = await h.client.listTools();
    const bytes = Buffer.byteLength(JSON.stringify(listed), 'utf8');
    expect(bytes).toBeLessThanOrEqual(BUDGET_BYTES);
    expect(listed.tools.length).toBe(27);
    for (const tool of listed.tools) {
      expect([tool.name, tool.outputSchema?.type]).toEqual([tool.name, 'object']);
      const fields = [...properties(tool.inputSchema, `${tool.name}.in`), ...properties(tool.outputSchema!, `${tool.name}.out`)];
      for (const [path, schema] of fields) expect([path, typeof schema.description]).toEqual([path, 'string']);
    }
  });

  it('counts every opt-in toolset in the budget when it is on, alone and all together', async () => {
    const optIn = TOOLSETS.filter((t) => !DEFAULT_TOOLSETS.includes(t));
    expect(Object.keys(OPT_IN_BYTES).sort()).toEqual([...optIn].sort());
    for (const toolsets of [...optIn.map((t) => [...DEFAULT_TOOLSETS, t]), [...TOOLSETS]]) {
      h = await startHarness({ toolsets });
      const listed = await h.client.listTools();
      const budget = BUDGET_BYTES + toolsets.reduce((sum, t) => sum + (OPT_IN_BYTES[t] ?? 0), 0);
      expect([toolsets.join(','), Buffer.byteLength(JSON.stringify(listed), 'utf8') <= budget]).toEqual([toolsets.join(','), true]);
      for (const tool of listed.tools) {
        const fields = [...properties(tool.inputSchema, `${tool.name}.in`), ...properties(tool.outputSchema!, `${tool.name}.out`)];
        for (const [path, schema] of fields) expect([path, typeof schema.description]).toEqual([path, 'string']);
      }
      await h.close();
    }
    h = await startHarness(); // for afterEach
  });

  it('says the confirmation rule once, in the instructions, not in every destructive tool', async () => {
    h = await startHarness();
    const { tools } = await h.client.listTools();
    const instructions = h.client.getInstructions() ?? '';
    expect(instructions).toContain('confirm_name equal to app_name');
    for (const tool of tools) expect([tool.name, tool.description]).not.toEqual([tool.name, expect.stringContaining('elicitation')]);
  });
});

import { startHarness, type Harness } from './mcp-harness.js';

// The budget: the default surface's tools/list, as the UTF-8 bytes of JSON.stringify of the result.
const BUDGET_BYTES = 24 * 1024;

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
    expect(listed.tools.length).toBe(26);
    for (const tool of listed.tools) {
      expect([tool.name, tool.outputSchema?.type]).toEqual([tool.name, 'object']);
      const fields = [...properties(tool.inputSchema, `${tool.name}.in`), ...properties(tool.outputSchema!, `${tool.name}.out`)];
      for (const [path, schema] of fields) expect([path, typeof schema.description]).toEqual([path, 'string']);
    }
  });

  it('says the confirmation rule once, in the instructions, not in every destructive tool', async () => {
    h = await startHarness();
    const { tools } = await h.client.listTools();
    const instructions = h.client.getInstructions() ?? '';
    expect(instructions).toContain('confirm_name equal to app_name');
    for (const tool of tools) expect([tool.name, tool.description]).not.toEqual([tool.name, expect.stringContaining('elicitation')]);
  });
});

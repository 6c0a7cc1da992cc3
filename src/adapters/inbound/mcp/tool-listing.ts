import { toJsonSchemaCompat } from '@modelcontextprotocol/sdk/server/zod-json-schema-compat.js';
import type { Tool, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z, type ZodRawShape } from 'zod';
import type { McpTool } from './tool-definition.js';

/**
 * The hints follow from the kind, so no tool can claim to be read-only while changing the host. What the MCP spec
 * already says is left out (tools/list is read on every session): `openWorldHint` defaults to true, and every tool
 * here talks to a Dokku host outside this process; `destructiveHint` and `idempotentHint` mean something only when
 * `readOnlyHint` is false.
 */
export function annotationsFor(tool: Pick<McpTool, 'kind' | 'idempotent'>): ToolAnnotations {
  // No `title` here: the tool's own `title` says it once.
  if (tool.kind === 'read') return { readOnlyHint: true };
  return { readOnlyHint: false, destructiveHint: tool.kind === 'destructive', idempotentHint: tool.idempotent };
}

/**
 * A JSON Schema of a zod shape as the SDK would list it, without `$schema`: the MCP spec's default dialect (2020-12)
 * reads these schemas the same as draft-07, and naming the dialect in 50 schemas is most of a kilobyte of tools/list.
 */
function jsonSchema(shape: ZodRawShape, pipeStrategy: 'input' | 'output'): Tool['inputSchema'] {
  const { $schema: _dialect, ...schema } = toJsonSchemaCompat(z.object(shape), { strictUnions: true, pipeStrategy }) as Record<string, unknown>;
  return schema as Tool['inputSchema'];
}

/**
 * Results are ours and checked by the SDK against their zod schema; `additionalProperties: false` on each output
 * object would tell a client nothing it can act on, at ~30 bytes a time.
 */
function withoutClosedObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutClosedObjects);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'additionalProperties' && value === false))
      .map(([key, value]) => [key, withoutClosedObjects(value)]),
  );
}

/** One entry of tools/list. `execution` is left out: its default (no task support) is what every tool here has. */
export function toolListing(tool: McpTool, inputSchema: ZodRawShape): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchema(inputSchema, 'input'),
    outputSchema: withoutClosedObjects(jsonSchema(tool.outputSchema, 'output')) as Tool['outputSchema'],
    annotations: annotationsFor(tool),
  };
}

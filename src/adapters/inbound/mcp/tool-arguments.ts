import { z, type ZodIssue, type ZodRawShape, type ZodTypeAny } from 'zod';

/** The outcome of checking a call's arguments against a tool's input shape. */
export type ArgumentCheck = { ok: true; args: Record<string, unknown> } | { ok: false; message: string };

/**
 * Checks arguments with the tool's own strict schema, so that a key the tool does not take is an error rather than
 * silently dropped, and says what is wrong in the tool's words: the keys sent that it does not take, the required
 * ones missing, and the whole list of what it takes (the SDK would say "Required at vars").
 */
export function checkArguments(toolName: string, shape: ZodRawShape, args: Record<string, unknown>): ArgumentCheck {
  const parsed = z.object(shape).strict().safeParse(args);
  if (parsed.success) return { ok: true, args: parsed.data };
  const problems = parsed.error.issues.map((issue) => describeIssue(toolName, shape, issue));
  return {
    ok: false,
    message: `Invalid arguments for ${toolName}: ${problems.join('; ')}. ${toolName} takes ${argumentList(shape)}. Nothing was run; call again with those.`,
  };
}

function describeIssue(toolName: string, shape: ZodRawShape, issue: ZodIssue): string {
  const field = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => `"${key.slice(0, 60)}"`).join(', ');
    return `${keys} ${issue.keys.length === 1 ? 'is not an argument' : 'are not arguments'} of ${toolName}`;
  }
  if (issue.code === 'invalid_type' && issue.received === 'undefined' && issue.path.length === 1) {
    return `missing the required argument "${field}" (${describe(shape[field])})`;
  }
  if (issue.code === 'invalid_type') return `"${field}" must be ${article(issue.expected)}, not ${article(issue.received)}`;
  return `"${field || 'arguments'}": ${issue.message}`;
}

/** `app_name (string), vars (object), restart (boolean, optional)`. */
function argumentList(shape: ZodRawShape): string {
  const entries = Object.entries(shape);
  if (entries.length === 0) return 'no arguments';
  return entries.map(([key, schema]) => `${key} (${typeName(schema)}${schema.isOptional() ? ', optional' : ''})`).join(', ');
}

function typeName(schema: ZodTypeAny): string {
  let inner: ZodTypeAny = schema;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable || inner instanceof z.ZodDefault) inner = inner._def.innerType;
  if (inner instanceof z.ZodString) return 'string';
  if (inner instanceof z.ZodNumber) return inner.isInt ? 'integer' : 'number';
  if (inner instanceof z.ZodBoolean) return 'boolean';
  if (inner instanceof z.ZodArray) return `array of ${typeName(inner.element)}s`;
  if (inner instanceof z.ZodRecord) return `object of ${typeName(inner.valueSchema)}s`;
  return 'object';
}

const describe = (schema: ZodTypeAny | undefined): string => (schema ? `${typeName(schema)}: ${schema.description ?? ''}`.replace(/: $/, '') : '');

const article = (type: string): string => (type === 'undefined' || type === 'null' ? type : `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`);

import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';

/** A JSON-RPC 2.0 error reply. `id: null` when the request's id could not be read (JSON-RPC 2.0, section 5). */
export interface JsonRpcErrorReply {
  readonly jsonrpc: '2.0';
  readonly id: string | number | null;
  readonly error: { readonly code: number; readonly message: string };
}

export const JSON_RPC = {
  parseError: ErrorCode.ParseError, // -32700
  invalidRequest: ErrorCode.InvalidRequest, // -32600
  invalidParams: ErrorCode.InvalidParams, // -32602
} as const;

export function errorReply(id: string | number | null, code: number, message: string): JsonRpcErrorReply {
  return { jsonrpc: '2.0', id, error: { code, message } };
}

/** The message's id if it has a usable one (a string or a number), else null. */
export function idOf(value: unknown): string | number | null {
  if (typeof value !== 'object' || value === null || !('id' in value)) return null;
  const id = (value as { id: unknown }).id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
}

/**
 * The id of a message we could not keep (too long to parse), read from its first bytes: only when `"id"` is among the
 * leading top-level members, before anything nested, so a nested `"id"` (inside params) is never mistaken for it.
 */
export function leadingIdOf(head: string): string | number | null {
  const match = /^\s*\{(?:\s*"(?:jsonrpc|method)"\s*:\s*"[^"\\]*"\s*,)*\s*"id"\s*:\s*(-?\d{1,15}|"[^"\\]{0,200}")\s*[,}]/.exec(head);
  if (!match?.[1]) return null;
  return match[1].startsWith('"') ? match[1].slice(1, -1) : Number(match[1]);
}

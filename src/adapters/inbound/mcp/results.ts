import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { fenceUntrusted } from './untrusted-fence.js';

/** Text that came from the app or Dokku (logs): shown fenced, as data, never as instructions to the model. */
export interface UntrustedText {
  /** The text itself. */
  readonly text: string;
  /** What it is, e.g. "build log output from Dokku". */
  readonly what: string;
  /** Fields of the structured result left out of the JSON text block because the fenced block carries them. */
  readonly omit?: readonly string[];
}

/** A tool's successful outcome: structured content (checked against the output schema) and optional untrusted text. */
export interface ToolResult<T> {
  readonly structured: T;
  /** Each goes after the JSON as a fence of its own, in order. */
  readonly untrusted: readonly UntrustedText[];
}

/** `untrusted` texts that are undefined are left out (e.g. an error only a failed deployment has). */
export const result = <T>(structured: T, ...untrusted: ReadonlyArray<UntrustedText | undefined>): ToolResult<T> => ({
  structured,
  untrusted: untrusted.filter((u): u is UntrustedText => u !== undefined),
});

/** Structured content plus its JSON as text (for clients that read only `content`), and the fenced untrusted texts. */
export function toCallToolResult<T>(outcome: ToolResult<T>): CallToolResult {
  const structured = outcome.structured as Record<string, unknown>;
  // An empty log stays in the JSON ("text": ""), so a reader of `content` still sees that nothing came.
  const untrusted = outcome.untrusted.filter((u) => u.text.length > 0);
  const omit = new Set(untrusted.flatMap((u) => u.omit ?? []));
  const shown = omit.size ? Object.fromEntries(Object.entries(structured).filter(([key]) => !omit.has(key))) : structured;
  const content: CallToolResult['content'] = [{ type: 'text', text: JSON.stringify(shown, null, 2) }];
  for (const u of untrusted) content.push({ type: 'text', text: fenceUntrusted(u.text, u.what) });
  return { structuredContent: structured, content };
}

export function errorResult(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}

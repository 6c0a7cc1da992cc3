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
  readonly untrusted?: UntrustedText;
}

export const result = <T>(structured: T, untrusted?: UntrustedText): ToolResult<T> => ({ structured, untrusted });

/** Structured content plus its JSON as text (for clients that read only `content`), and the fenced untrusted text. */
export function toCallToolResult<T>(outcome: ToolResult<T>): CallToolResult {
  const structured = outcome.structured as Record<string, unknown>;
  const untrusted = outcome.untrusted && outcome.untrusted.text.length > 0 ? outcome.untrusted : undefined;
  // An empty log stays in the JSON ("text": ""), so a reader of `content` still sees that nothing came.
  const omit = new Set(untrusted?.omit ?? []);
  const shown = omit.size ? Object.fromEntries(Object.entries(structured).filter(([key]) => !omit.has(key))) : structured;
  const content: CallToolResult['content'] = [{ type: 'text', text: JSON.stringify(shown, null, 2) }];
  if (untrusted) content.push({ type: 'text', text: fenceUntrusted(untrusted.text, untrusted.what) });
  return { structuredContent: structured, content };
}

export function errorResult(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}

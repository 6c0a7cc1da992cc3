import convict from 'convict';
import { ALL_TOOLSETS, isToolset, TOOLSETS } from './toolsets.js';

/**
 * Our own convict formats. convict's built-in coercion of environment variables and flags is lenient
 * (`parseInt('12abc')` is 12, any boolean other than "false" is true, "abc" becomes NaN and its value vanishes
 * from the message), so these coerce only well-formed text and leave anything else as the original string:
 * validation then fails and the message shows what was actually given.
 * Bounds come from the schema item (`min`, `max`, `exclusiveMin`).
 */
export const Formats = {
  int: 'dokku-mcp-int',
  number: 'dokku-mcp-number',
  boolean: 'dokku-mcp-boolean',
  text: 'dokku-mcp-text',
  optionalText: 'dokku-mcp-optional-text',
  envName: 'dokku-mcp-env-name',
  fingerprint: 'dokku-mcp-fingerprint',
  stringList: 'dokku-mcp-string-list',
  toolsets: 'dokku-mcp-toolsets',
  list: 'dokku-mcp-list',
} as const;

/** `ssh-keygen -lf` prints SHA256:<43 base64 characters> (the trailing '=' is usually dropped). */
export const FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}=?$/;

interface Bounds {
  min: number;
  max: number;
  exclusiveMin?: boolean;
}

function toNumber(v: string): number | string {
  const n = Number(v);
  return v.trim() !== '' && Number.isFinite(n) ? n : v;
}

function checkBounds(x: unknown, schema: unknown, integer: boolean): void {
  const { min, max, exclusiveMin } = schema as Bounds;
  const kind = integer ? 'an integer' : 'a number';
  const range = `${exclusiveMin ? 'greater than' : 'from'} ${min} ${exclusiveMin ? 'and at most' : 'to'} ${max}`;
  const ok =
    typeof x === 'number' &&
    (integer ? Number.isInteger(x) : Number.isFinite(x)) &&
    (exclusiveMin ? x > min : x >= min) &&
    x <= max;
  if (!ok) throw new Error(`must be ${kind} ${range}`);
}

/** From an environment variable or flag: a comma-separated list. */
const commaList = (v: string): string[] =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

let registered = false;

/** Idempotent: convict's format registry is module-global. */
export function registerConfigFormats(): void {
  if (registered) return;
  registered = true;
  convict.addFormats({
    [Formats.int]: { validate: (x, schema) => checkBounds(x, schema, true), coerce: toNumber },
    [Formats.number]: { validate: (x, schema) => checkBounds(x, schema, false), coerce: toNumber },
    [Formats.boolean]: {
      validate: (x) => {
        if (typeof x !== 'boolean') throw new Error('must be true or false');
      },
      coerce: (v: string) => {
        const word = v.trim().toLowerCase();
        return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : v;
      },
    },
    [Formats.text]: {
      validate: (x) => {
        if (typeof x !== 'string' || x.trim() === '') throw new Error('must be a non-empty string');
      },
    },
    [Formats.optionalText]: {
      validate: (x) => {
        if (x !== null && typeof x !== 'string') throw new Error('must be a string, or null/empty for "not set"');
      },
    },
    [Formats.envName]: {
      validate: (x) => {
        if (typeof x !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(x)) {
          throw new Error('must be the name of an environment variable (letters, digits, underscores)');
        }
      },
    },
    [Formats.fingerprint]: {
      validate: (x) => {
        if (x === null || x === '') return;
        if (typeof x !== 'string' || !FINGERPRINT_PATTERN.test(x)) {
          throw new Error(
            'must look like "SHA256:" followed by 43 base64 characters, as printed by ' +
              '`ssh-keyscan -t ed25519 HOST | ssh-keygen -lf -`',
          );
        }
      },
    },
    [Formats.stringList]: {
      validate: (x) => {
        if (!Array.isArray(x) || x.some((s) => typeof s !== 'string')) throw new Error('must be a list of strings');
      },
      coerce: commaList,
    },
    [Formats.list]: {
      validate: (x) => {
        if (!Array.isArray(x)) throw new Error('must be a list (its entries are checked one by one afterwards)');
      },
    },
    // convict's overlay takes a value whose schema format is exactly 'object' whole instead of walking into it.
    object: {
      validate: (x) => {
        if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new Error('must be a mapping (name: { ... })');
      },
    },
    [Formats.toolsets]: {
      validate: (x) => {
        const accepted = `accepted: ${[...TOOLSETS, ALL_TOOLSETS].join(', ')}`;
        if (!Array.isArray(x) || x.some((s) => typeof s !== 'string')) throw new Error(`must be a list of toolset names (${accepted})`);
        if (x.length === 0) throw new Error(`must name at least one toolset (${accepted})`);
        const unknown = x.filter((s: string) => s !== ALL_TOOLSETS && !isToolset(s));
        if (unknown.length) throw new Error(`unknown toolset ${unknown.map((s) => JSON.stringify(s)).join(', ')} (${accepted})`);
      },
      coerce: commaList,
    },
  });
}

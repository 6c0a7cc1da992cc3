/**
 * Scans what a run produced (replies, notifications, SSE frames, the server's stderr, the audit file) for known
 * secrets in every form they could take on the way: raw, JSON-escaped (once and twice), URL-encoded (encodeURIComponent
 * and form encoding), base64 (at each of the three byte alignments, as inside a longer encoded string), and with a
 * case change of hex. A finding names the secret, the form and where it was seen, with a little context, so a failure
 * says what leaked where.
 */
export interface Finding {
  /** The secret's label (never its value: a report may be logged). */
  readonly secret: string;
  /** raw | json | json2 | uri | form | base64 | base64+1 | base64+2 */
  readonly form: string;
  /** Where the text came from, e.g. "stdio get_runtime_logs". */
  readonly where: string;
  /** The text around the hit, the hit itself replaced by «…». */
  readonly context: string;
}

/** Forms shorter than this are not looked for (they would match by chance); a raw secret is always looked for. */
const MIN_FORM_LENGTH = 6;

const inner = (json: string) => json.slice(1, -1);

/** The characters of base64(prefix + secret) that depend on the secret's bytes only, for each alignment 0..2. */
function base64Forms(secret: string): Array<[string, string]> {
  const bytes = Buffer.from(secret, 'utf8');
  const forms: Array<[string, string]> = [];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64').replace(/=+$/, '');
    // Drop the group that mixes in the prefix, and the last group, which mixes in what follows (or padding).
    const start = shift === 0 ? 0 : 4;
    const whole = Math.floor((shift + bytes.length) / 3) * 4;
    const form = encoded.slice(start, whole);
    if (form.length >= MIN_FORM_LENGTH) forms.push([shift === 0 ? 'base64' : `base64+${shift}`, form]);
  }
  return forms;
}

/** Every form of `secret` worth looking for, deduplicated (a plain secret's JSON form is itself). */
export function secretForms(secret: string): Array<{ form: string; text: string }> {
  const json = inner(JSON.stringify(secret));
  const candidates: Array<[string, string]> = [
    ['raw', secret],
    ['json', json],
    ['json2', inner(JSON.stringify(json))],
    ['uri', encodeURIComponent(secret)],
    ['form', new URLSearchParams({ x: secret }).toString().slice(2)],
    ...base64Forms(secret),
  ];
  const seen = new Set<string>();
  const forms: Array<{ form: string; text: string }> = [];
  for (const [form, text] of candidates) {
    if (seen.has(text) || (form !== 'raw' && text.length < MIN_FORM_LENGTH)) continue;
    seen.add(text);
    forms.push({ form, text });
  }
  return forms;
}

export class SecretScanner {
  private readonly forms: Array<{ secret: string; form: string; text: string }>;
  private readonly found: Finding[] = [];
  private scannedBytes = 0;
  private scannedTexts = 0;

  /** `secrets`: label → value. Values must be distinctive (no word ordinary output may hold). */
  constructor(secrets: Readonly<Record<string, string>>) {
    this.forms = Object.entries(secrets).flatMap(([secret, value]) => {
      if (value.length < 4) throw new Error(`secret "${secret}" is too short to look for`);
      return secretForms(value).map((f) => ({ secret, ...f }));
    });
  }

  /** Looks for every form of every secret in `text` (any value: it is JSON-stringified unless a string). */
  scan(where: string, value: unknown): Finding[] {
    const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
    this.scannedBytes += text.length;
    this.scannedTexts++;
    const hits: Finding[] = [];
    for (const { secret, form, text: needle } of this.forms) {
      const at = text.indexOf(needle);
      if (at === -1) continue;
      const context = `${text.slice(Math.max(0, at - 60), at)}«…»${text.slice(at + needle.length, at + needle.length + 60)}`;
      hits.push({ secret, form, where, context });
    }
    this.found.push(...hits);
    return hits;
  }

  findings(): readonly Finding[] {
    return this.found;
  }

  /** How much was looked at: a scan that saw nothing proves nothing. */
  get scanned(): { texts: number; bytes: number } {
    return { texts: this.scannedTexts, bytes: this.scannedBytes };
  }
}

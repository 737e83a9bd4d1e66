/**
 * Text safety (DESIGN.md "Text"): what every encoder applies before a text
 * reaches a dialect's framing, and what tests use to predict what a recipient
 * sees. No text can inject a frame into another dialect.
 */

export type Charset = 'utf8' | 'ascii';

export interface SafeTextOptions {
  /** `split`: one string per line (line dialects); `keep`: line breaks stay as `\n`. */
  lineBreaks: 'split' | 'keep';
  charset: Charset;
}

// C0 controls but TAB/LF/CR, DEL, and C1 controls: dropped everywhere.
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const UNSAFE_UTF8 = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;
const PLAIN_ASCII = /^[\x20-\x7E]*$/;
// U+0085 (NEL) is a C1 control: dropped like the others, never a line break.
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029]/g;

// Characters NFKD does not decompose into ASCII but that read well as ASCII.
const TRANSLIT: Record<string, string> = {
  'ß': 'ss', 'ẞ': 'SS', 'æ': 'ae', 'Æ': 'AE', 'œ': 'oe', 'Œ': 'OE', 'ø': 'o', 'Ø': 'O',
  'ł': 'l', 'Ł': 'L', 'đ': 'd', 'Đ': 'D', 'ð': 'd', 'Ð': 'D', 'þ': 'th', 'Þ': 'TH', 'ı': 'i',
  '‘': "'", '’': "'", '‚': "'", '‛': "'", '“': '"', '”': '"', '„': '"', '«': '"', '»': '"',
  '‹': "'", '›': "'", '–': '-', '—': '-', '−': '-', '…': '...', '•': '*', '€': 'EUR', '£': 'GBP',
  '\u00A0': ' ', '×': 'x', '÷': '/',
};

/** Readable ASCII for any string: é → e, ß → ss, `?` for what has no ASCII form. */
export function toAscii(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) { out += ch; continue; }
    const mapped = TRANSLIT[ch];
    if (mapped !== undefined) { out += mapped; continue; }
    const base = ch.normalize('NFKD').replace(/[\u0300-\u036F]/g, '');
    if (base.length > 0 && /^[\x20-\x7E]+$/.test(base)) out += base;
    else if (/^\p{M}$/u.test(ch)) continue; // a lone combining mark joins the previous letter
    else out += '?';
  }
  return out;
}

/** Drops control characters (all but TAB and line breaks). */
export function dropControls(text: string): string {
  return text.replace(CONTROLS, '');
}


/**
 * Makes a text safe for a dialect: controls dropped, charset applied, and line
 * breaks either split into separate non-empty lines or normalised to `\n`.
 * Returns the lines a line dialect sends, one frame each; empty when nothing
 * printable is left.
 */
export function safeLines(text: string, charset: Charset = 'utf8'): string[] {
  const one = safeLine(text, charset);
  if (one !== undefined) return [one];
  // The common case: nothing to drop, split or transliterate (only blanks here, as safeLine said no).
  if ((charset === 'utf8' ? !UNSAFE_UTF8.test(text) : PLAIN_ASCII.test(text))) return [];
  // Split before transliterating: toAscii would turn U+2028/U+2029 into `?`.
  const lines = dropControls(text).split(LINE_BREAKS);
  const out: string[] = [];
  let printable = false;
  for (const line of lines) {
    if (line.trim().length === 0) continue;
    printable = true;
    const l = charset === 'ascii' ? toAscii(line) : line;
    if (l.trim().length > 0) out.push(l);
  }
  // Something printable that has no ASCII form at all (a lone combining mark) still shows that a message came.
  if (out.length === 0 && printable) out.push('?');
  return out;
}

// The Hub checks a text (hasSafeText) and its recipients' encoders then ask safeLine of the same
// string in the same turn: the last text found clean is remembered, so the check runs once, not
// once more per recipient dialect. A cache: a miss only costs the regex again.
let lastClean: string | undefined;

/**
 * The text itself when safeLines would give exactly it as its one line (nothing to drop, split or
 * transliterate: the common case, checked without allocating); undefined when it may need safeLines.
 */
export function safeLine(text: string, charset: Charset = 'utf8'): string | undefined {
  if (charset === 'utf8') {
    if (text === lastClean) return text;
    if (UNSAFE_UTF8.test(text) || !printable(text)) return undefined;
    lastClean = text;
    return text;
  }
  return PLAIN_ASCII.test(text) && printable(text) ? text : undefined;
}

// Something but blanks in it: what trim().length > 0 says, without a new string.
function printable(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && !(c > 0x7f && /\s/.test(text[i]!))) return true;
  }
  return false;
}

/** True when safeLines would leave something to send (utf8): the common case allocates nothing. */
export function hasSafeText(text: string): boolean {
  if (safeLine(text) !== undefined) return true;
  return safeLines(text).length > 0;
}

/** Like safeLines but keeps one text with `\n` between its non-empty lines. */
export function safeBlock(text: string, charset: Charset = 'utf8'): string {
  return safeLines(text, charset).join('\n');
}

// Controls, the backslash (so an escape is never ambiguous), Unicode line breaks and the
// invisible format characters (zero-width space, bidi overrides, BOM): nothing that hides or moves text.
const INVISIBLE = /[\u0000-\u001F\u007F-\u009F\\\u2028\u2029\p{Cf}]/gu;

/** Escapes what would not show as itself (`\r`, `\n`, `\x04`, `\u200b`), so a frame reads as it was sent: for logs and traces. */
export function escapeControls(s: string): string {
  return s.replace(INVISIBLE, (c) => {
    switch (c) {
      case '\r': return '\\r';
      case '\n': return '\\n';
      case '\t': return '\\t';
      case '\\': return '\\\\';
    }
    const code = c.codePointAt(0)!;
    if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
    return code < 0x10000 ? `\\u${code.toString(16).padStart(4, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

// Longest piece of client input echoed back in a reply (a nick or room that failed).
const ECHO_MAX = 64;

/**
 * Client input as it may appear in a reply to that client: escaped as in
 * escapeControls, so the student sees what their client sent and no byte of
 * it can act on the terminal, cut to `max` characters.
 */
export function visible(s: string, max = ECHO_MAX): string {
  const shown = escapeControls(s);
  return shown.length > max ? `${shown.slice(0, max)}...` : shown;
}

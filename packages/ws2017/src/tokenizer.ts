/**
 * WS_2017 argument tokenizer. Neither revision defines quoting, but both show
 * quoted arguments (rev-b: chatm ’<sender_name>’ ’<recipient_name>’
 * ’<message>’) and DESIGN.md WS_2017 says "arguments may be bare or quoted
 * with `'`, `’` or `"`; the text is the rest of the line, its one pair of
 * enclosing quotes removed". There is no escape character: a quote ends a
 * quoted argument only where a blank or the end of the line follows it, so
 * `'it's fine'` is one argument.
 */

const SPACE = 0x20;
const TAB = 0x09;

/** True for the blanks that separate a keyword and its arguments (space, tab). */
export function isBlank(code: number): boolean {
  return code === SPACE || code === TAB;
}

// Quote families: an opening quote is closed by any quote of its family. ‘ is
// the opening twin of rev-b's ’ (word processors write ‘…’ for '…').
const SINGLE = "'’‘";
const DOUBLE = '"';

function familyOf(ch: string | undefined): string | undefined {
  if (ch === undefined) return undefined;
  if (SINGLE.includes(ch)) return SINGLE;
  if (DOUBLE.includes(ch)) return DOUBLE;
  return undefined;
}

/** Index of the first non-blank character at or after `i` (s.length if none). */
export function skipBlanks(s: string, i: number): number {
  while (i < s.length && isBlank(s.charCodeAt(i))) i++;
  return i;
}

/** Strips blanks (space, tab) from both ends; other characters stay. */
export function trimBlanks(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isBlank(s.charCodeAt(a))) a++;
  while (b > a && isBlank(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/**
 * Reads one argument starting at `i` (a non-blank): a quoted one up to its
 * closing quote followed by a blank or the end, else a bare one up to the next
 * blank. Returns the value and the index just past it.
 */
function scan(s: string, i: number): { value: string; end: number } {
  const family = familyOf(s[i]);
  if (family !== undefined) {
    for (let j = i + 1; j < s.length; j++) {
      if (family.includes(s[j]!) && (j + 1 === s.length || isBlank(s.charCodeAt(j + 1)))) {
        return { value: s.slice(i + 1, j), end: j + 1 };
      }
    }
    // No closing quote: the quote is an ordinary character of a bare argument.
  }
  let end = i;
  while (end < s.length && !isBlank(s.charCodeAt(end))) end++;
  return { value: s.slice(i, end), end };
}

/** Splits a line into arguments, bare or quoted, enclosing quotes removed. */
export function tokenize(s: string): string[] {
  const out: string[] = [];
  for (let i = skipBlanks(s, 0); i < s.length; ) {
    const t = scan(s, i);
    out.push(t.value);
    i = skipBlanks(s, t.end);
  }
  return out;
}

/**
 * Takes the first `n` arguments and returns the rest of the line untouched but
 * for blanks at either end (chatm: sender, recipient, then the text).
 */
export function takeArgs(s: string, n: number): { args: string[]; rest: string } {
  const args: string[] = [];
  let i = skipBlanks(s, 0);
  while (args.length < n && i < s.length) {
    const t = scan(s, i);
    args.push(t.value);
    i = skipBlanks(s, t.end);
  }
  return { args, rest: trimBlanks(s.slice(i)) };
}

/** Removes one pair of enclosing quotes of one family (DESIGN.md WS_2017 chatm text), blanks at the ends first. */
export function unquote(text: string): string {
  const s = trimBlanks(text);
  if (s.length >= 2) {
    const family = familyOf(s[0]);
    if (family !== undefined && family.includes(s[s.length - 1]!)) return s.slice(1, -1);
  }
  return s;
}

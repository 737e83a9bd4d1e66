/**
 * `:COMMAND params :trailing` lines, the shape PSU (specs/psu-chat.txt 4)
 * and IRC (RFC 1459 2.3.1, RFC 2812 2.3.1) share: an optional leading `:`,
 * a command word, parameters separated by blanks, and one last parameter
 * that runs to the end of the line. The two differ in small rules, which
 * are options here, so that each dialect keeps one parse and no copy.
 */
export interface CommandLineRules {
  /**
   * What a leading `:` means: `marker`, the command's own optional sigil
   * (PSU `:NICK alice`, also `: NICK alice`); `source`, a prefix word naming
   * the sender (IRC `:nick!user@host PRIVMSG ...`), skipped and returned.
   */
  leadingColon: 'marker' | 'source';
  /** A TAB separates parameters too (PSU); IRC separates on SPACE only (RFC 2812 2.3.1). */
  tabs: boolean;
  /** A parameter that starts with `:` is the last one, running to the end of the line, the `:` dropped (IRC trailing). */
  colonTrailing: boolean;
  /**
   * By command: how many parameters come before the one that is the rest of
   * the line, its one leading `:` dropped (PSU: `PRIVMSG <targets> <text>`).
   */
  restAfter?: Readonly<Record<string, number>>;
}

/** One tokenized line. `source` is present only for a `source` prefix that was there. */
export interface CommandLine {
  /** The command word, ASCII letters upper-cased (`nick` → `NICK`); never empty. */
  command: string;
  params: string[];
  /** The line as received (terminator stripped), for logs and replies. */
  raw: string;
  source?: string;
}

const SPACE = 0x20;
const TAB = 0x09;
const COLON = 0x3a;
const HAS_LOWER = /[a-z]/;
const isSpace = (c: number): boolean => c === SPACE;
const blankOrTab = (c: number): boolean => c === SPACE || c === TAB;

/**
 * Tokenizes one line (terminator already stripped) by the dialect's rules.
 * Undefined for a line with no command word (empty, blank, a lone `:`).
 * Leading and trailing blanks and runs of blanks between parameters are
 * skipped; a trailing or rest-of-line parameter keeps its text as typed.
 */
export function tokenizeCommand(raw: string, rules: CommandLineRules): CommandLine | undefined {
  const tabs = rules.tabs;
  const blank = tabs ? blankOrTab : isSpace;
  const n = raw.length;
  let i = 0;
  while (i < n && blank(raw.charCodeAt(i))) i++;
  let source: string | undefined;
  if (i < n && raw.charCodeAt(i) === COLON) {
    i++;
    if (rules.leadingColon === 'source') {
      const start = i;
      while (i < n && !blank(raw.charCodeAt(i))) i++;
      source = raw.slice(start, i);
    }
    while (i < n && blank(raw.charCodeAt(i))) i++;
  }
  let j = i;
  while (j < n && !blank(raw.charCodeAt(j))) j++;
  if (j === i) return undefined;
  const word = raw.slice(i, j);
  // Clients mostly send upper case already: no replace then.
  const command = HAS_LOWER.test(word) ? word.replace(/[a-z]+/g, (s) => s.toUpperCase()) : word;
  const before = rules.restAfter?.[command];
  const params: string[] = [];
  i = j;
  for (;;) {
    while (i < n && blank(raw.charCodeAt(i))) i++;
    if (i >= n) break;
    const colon = raw.charCodeAt(i) === COLON;
    if ((before !== undefined && params.length === before) || (colon && rules.colonTrailing)) {
      // The rest of the line, as typed, its one leading `:` dropped.
      params.push(colon ? raw.slice(i + 1) : raw.slice(i));
      break;
    }
    j = i;
    while (j < n && !blank(raw.charCodeAt(j))) j++;
    params.push(raw.slice(i, j));
    i = j;
  }
  return source === undefined ? { command, params, raw } : { command, params, raw, source };
}

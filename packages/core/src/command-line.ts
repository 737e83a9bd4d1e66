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
const LOWER_A = 0x61;
const LOWER_Z = 0x7a;

/**
 * Tokenizes one line (terminator already stripped) by the dialect's rules.
 * Undefined for a line with no command word (empty, blank, a lone `:`).
 * Leading and trailing blanks and runs of blanks between parameters are
 * skipped; a trailing or rest-of-line parameter keeps its text as typed.
 * One pass of charCodeAt with the blank test written out (no regex, no
 * predicate call): this runs for every line a PSU or IRC client sends.
 */
export function tokenizeCommand(raw: string, rules: CommandLineRules): CommandLine | undefined {
  const tabs = rules.tabs;
  const n = raw.length;
  let i = 0;
  let c = 0;
  while (i < n && ((c = raw.charCodeAt(i)) === SPACE || (tabs && c === TAB))) i++;
  let source: string | undefined;
  if (i < n && c === COLON) {
    i++;
    if (rules.leadingColon === 'source') {
      const start = i;
      while (i < n && !((c = raw.charCodeAt(i)) === SPACE || (tabs && c === TAB))) i++;
      source = raw.slice(start, i);
    }
    while (i < n && ((c = raw.charCodeAt(i)) === SPACE || (tabs && c === TAB))) i++;
  }
  let j = i;
  let lower = false;
  while (j < n && !((c = raw.charCodeAt(j)) === SPACE || (tabs && c === TAB))) {
    if (c >= LOWER_A && c <= LOWER_Z) lower = true;
    j++;
  }
  if (j === i) return undefined;
  const word = raw.slice(i, j);
  // Clients mostly send upper case already: no replace then. ASCII letters only (`ß` stays).
  const command = lower ? word.replace(/[a-z]+/g, (w) => w.toUpperCase()) : word;
  const before = rules.restAfter?.[command];
  const params: string[] = [];
  i = j;
  for (;;) {
    while (i < n && ((c = raw.charCodeAt(i)) === SPACE || (tabs && c === TAB))) i++;
    if (i >= n) break;
    const colon = c === COLON;
    if ((before !== undefined && params.length === before) || (colon && rules.colonTrailing)) {
      // The rest of the line, as typed, its one leading `:` dropped.
      params.push(colon ? raw.slice(i + 1) : raw.slice(i));
      break;
    }
    j = i;
    while (j < n && !((c = raw.charCodeAt(j)) === SPACE || (tabs && c === TAB))) j++;
    params.push(raw.slice(i, j));
    i = j;
  }
  return source === undefined ? { command, params, raw } : { command, params, raw, source };
}

import { DelimitedFramer, withMax } from '@chat-gateway/core';

/** EOT ends every Sup message (specs/sup.txt "General"). */
export const EOT = 0x04;
const CR = 0x0d;
const LF = 0x0a;

// One for every connection's framer (core withMax), not an object each.
const FRAMING = { terminators: [EOT], crlf: false, parse: message };

/**
 * Sup framing: messages ended by EOT, at most `max` bytes each (limits.lineMax),
 * decoded as UTF-8 leniently (invalid bytes become U+FFFD; the spec says ASCII,
 * and ASCII is UTF-8). CR/LF at either end of a message is dropped: leading
 * ones sit "between messages" (DESIGN.md Sup), trailing ones are what a human
 * at netcat types before the EOT. Line breaks inside a message are kept, since
 * a text may contain them. A message that is empty once trimmed is not a
 * message and gets no reply. Frames are the message strings; commands.ts
 * parses them.
 */
export class SupFramer extends DelimitedFramer<string> {
  constructor(max: number) {
    super(withMax(FRAMING, max));
  }
}

/** A trimmed message, or nothing when only line breaks were left. */
function message(raw: string): string | undefined {
  const msg = trimBreaks(raw);
  return msg.length > 0 ? msg : undefined;
}

/** Drops CR and LF from both ends of a message, keeping those inside it. */
export function trimBreaks(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isBreak(s.charCodeAt(a))) a++;
  while (b > a && isBreak(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function isBreak(c: number): boolean {
  return c === CR || c === LF;
}

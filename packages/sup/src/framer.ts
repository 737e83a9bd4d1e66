import { DelimitedFramer, type ErrorCode, type FrameSink, type Framer } from '@chat-gateway/core';

/** EOT ends every Sup message (specs/sup.txt "General"). */
export const EOT = 0x04;
const CR = 0x0d;
const LF = 0x0a;

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
export class SupFramer implements Framer<string>, FrameSink<string> {
  private readonly inner: DelimitedFramer;
  // The sink of the push in progress: one wrapper object, no closure per chunk.
  private out: FrameSink<string> | undefined;

  constructor(max: number) {
    this.inner = new DelimitedFramer({ terminators: [EOT], crlf: false, max });
  }

  push(chunk: Uint8Array, sink: FrameSink<string>): void {
    this.out = sink;
    try {
      this.inner.push(chunk, this);
    } finally {
      this.out = undefined;
    }
  }

  /** @internal DelimitedFramer's sink: trims, then forwards. */
  frame(raw: string): void {
    const msg = trimBreaks(raw);
    if (msg.length > 0) this.out!.frame(msg);
  }

  /** @internal Faults pass through: the session answers each with one status. */
  fault(code: ErrorCode, detail: string, fatal: boolean): void {
    this.out!.fault(code, detail, fatal);
  }
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

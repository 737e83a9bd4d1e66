import type { Limits, MessageFraming } from '@chat-gateway/core';

// A dialect that declares no framing: messages pass as bytes both ways, up to the larger frame limit.
const PASS_THROUGH: MessageFraming = { ends: [], maxMessage: (limits) => Math.max(limits.lineMax, limits.packageMax) };

/**
 * Maps WebSocket messages to a dialect framer's bytes and written frames to
 * messages (DESIGN.md "Transports and the browser": one frame per message),
 * from the dialect's MessageFraming. Pure; one per listener.
 */
export class MessageMapper {
  private readonly ends: Buffer[];
  private readonly endStrings: string[];
  private readonly wholeWrites: boolean;
  /** The largest message accepted: the dialect's frame limit plus room for the terminator the client may add. */
  readonly maxPayload: number;

  constructor(framing: MessageFraming | undefined, limits: Readonly<Limits>) {
    const f = framing ?? PASS_THROUGH;
    this.endStrings = [...f.ends];
    this.ends = f.ends.map((e) => Buffer.from(e, 'utf8'));
    this.wholeWrites = f.wholeWrites ?? false;
    this.maxPayload = f.maxMessage(limits) + Math.max(0, ...this.ends.map((e) => e.length));
  }

  /** One inbound message as the framer's bytes: the preferred terminator appended when it ends in none. */
  inbound(message: Buffer): Buffer {
    const first = this.ends[0];
    if (first === undefined || this.ends.some((e) => endsWith(message, e))) return message;
    return Buffer.concat([message, first]);
  }

  /** One written frame as the messages it makes: one per frame, terminators dropped; an empty frame makes none. */
  outbound(frame: string | Uint8Array): (string | Uint8Array)[] {
    if (this.ends.length === 0) return [frame];
    if (typeof frame !== 'string') return this.wholeWrites ? [cutEnd(frame, this.ends)] : splitBytes(frame, this.ends);
    if (this.wholeWrites) return [cutEndString(frame, this.endStrings)];
    return splitString(frame, this.endStrings);
  }
}

function endsWith(b: Uint8Array, end: Uint8Array): boolean {
  if (b.length < end.length) return false;
  for (let i = 0; i < end.length; i++) if (b[b.length - end.length + i] !== end[i]) return false;
  return true;
}

function cutEnd(b: Uint8Array, ends: readonly Buffer[]): Uint8Array {
  const end = ends.find((e) => endsWith(b, e));
  return end ? b.subarray(0, b.length - end.length) : b;
}

function cutEndString(s: string, ends: readonly string[]): string {
  const end = ends.find((e) => s.endsWith(e));
  return end ? s.slice(0, s.length - end.length) : s;
}

/** Cuts at every terminator, the longest matching one first at each position (CRLF before CR). */
function splitString(s: string, ends: readonly string[]): string[] {
  const out: string[] = [];
  const sorted = [...ends].sort((a, b) => b.length - a.length);
  let start = 0;
  for (let i = 0; i < s.length; ) {
    const end = sorted.find((e) => s.startsWith(e, i));
    if (end === undefined) {
      i++;
      continue;
    }
    if (i > start) out.push(s.slice(start, i));
    i += end.length;
    start = i;
  }
  if (start < s.length) out.push(s.slice(start));
  return out;
}

function splitBytes(b: Uint8Array, ends: readonly Buffer[]): Uint8Array[] {
  return splitString(Buffer.from(b).toString('latin1'), ends.map((e) => e.toString('latin1'))).map((s) => Buffer.from(s, 'latin1'));
}

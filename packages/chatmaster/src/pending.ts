import { formatWait, type PendingHint } from '@chat-gateway/core';
import { CompressedPackage, sniff } from './compression.js';
import { JsonScanner } from './splitter.js';

const LF = 0x0a;
const WHITESPACE = new Set([0x20, 0x09, 0x0d, LF]);
const LBRACE = 0x7b;
const LBRACKET = 0x5b;
// The scan below only looks for where packages end: the caps are the framer's business, these only bound zlib's buffers.
const NO_CAP = 1 << 26;

/**
 * ChatMaster's pendingHint (DESIGN.md "Interop bench"): walks `received` as
 * the framer does (whitespace between packages, plain JSON told from zlib or
 * gzip by its first byte, other bytes skipped to a line end or a `{`) and
 * returns the package that has begun and not ended, if one has.
 */
export function chatmasterPending(received: Uint8Array, waitedMs: number): PendingHint | undefined {
  const buf = Buffer.from(received.buffer, received.byteOffset, received.byteLength);
  const after = `after ${formatWait(waitedMs)}`;
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    if (b === LBRACE || b === LBRACKET) {
      const got = new JsonScanner(NO_CAP, NO_CAP).scan(buf, i, () => {});
      if (!got) return { bytes: buf.subarray(i), hint: `incomplete JSON (its closing ${b === LBRACE ? '}' : ']'} has not arrived) ${after}` };
      i = got.end;
      continue;
    }
    const format = sniff(b);
    if (format === 'zlib' || format === 'gzip') {
      const r = new CompressedPackage(format, NO_CAP, NO_CAP).push(buf.subarray(i));
      if (r.kind === 'more') return { bytes: buf.subarray(i), hint: `incomplete ${format} package (the compressed stream has not ended) ${after}` };
      if (r.kind === 'fatal') return undefined; // the connection closes: nothing is pending
      i = r.kind === 'done' ? buf.length - r.rest.length : nextStart(buf, i + 1);
      continue;
    }
    // Whitespace between packages; bytes that are no package are skipped to a line end or a `{`, as the framer does.
    i = WHITESPACE.has(b) ? i + 1 : nextStart(buf, i + 1);
  }
  return undefined;
}

function nextStart(buf: Buffer, from: number): number {
  for (let i = from; i < buf.length; i++) if (buf[i] === LF || buf[i] === LBRACE) return i;
  return buf.length;
}

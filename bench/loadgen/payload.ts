/**
 * The bench message text: `~=<flow>.<seq>.<sentUs>~` then padding. It is
 * plain printable ASCII with no quote, `#`, `:` or control character, so
 * every dialect and IRC carries it unchanged, and a receiver finds it by
 * scanning a frame for the marker `~=` without decoding the dialect's
 * envelope (JSON included). `=` cannot occur in a nick, ident or host, so an
 * IRC prefix like `nick!~ident@host` never looks like a marker.
 */

/** Opens every bench text. */
export const MARKER = '~=';

const TILDE = 0x7e;
const DOT = 0x2e;

/** Microseconds on a monotonic clock (performance.now is hrtime-based), shared by sender and receiver. */
export function nowUs(): number {
  return performance.now() * 1000;
}

/** Builds a message text of at least `size` characters carrying flow, sequence number and send time. */
export function makeText(flow: number, seq: number, sentUs: number, pad: string): string {
  return `~=${flow}.${seq}.${Math.round(sentUs)}~${pad}`;
}

/** Padding that brings a text to about `size` characters (the header is ~20). */
export function padding(size: number): string {
  return 'x'.repeat(Math.max(1, size - 21));
}

/** A decoded message header; reused by the caller to avoid an allocation per frame. */
export interface Stamp {
  flow: number;
  seq: number;
  sentUs: number;
}

/**
 * Reads the header of a bench text whose marker is at `at` in `frame`
 * (a latin1 string that may hold more frames), up to `end`; false when it is
 * not a well-formed stamp.
 */
export function readStamp(frame: string, at: number, end: number, out: Stamp): boolean {
  let p = at + 2;
  const n = end;
  let flow = 0, seq = 0, t = 0, c = 0;
  for (; p < n && (c = frame.charCodeAt(p)) !== DOT; p++) flow = flow * 10 + (c - 48);
  for (p++; p < n && (c = frame.charCodeAt(p)) !== DOT; p++) seq = seq * 10 + (c - 48);
  for (p++; p < n && (c = frame.charCodeAt(p)) !== TILDE; p++) t = t * 10 + (c - 48);
  if (c !== TILDE) return false;
  out.flow = flow;
  out.seq = seq;
  out.sentUs = t;
  return true;
}

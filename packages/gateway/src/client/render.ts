import { escapeControls } from '@chat-gateway/core';
import type { Seen } from '@chat-gateway/core/testing';

/**
 * A frame as the terminal client shows it: what happened, in a few words,
 * every piece of it escaped (escapeControls), so that nothing a server or
 * a peer sends can move the cursor or repaint the screen.
 */
export function render(s: Seen): string {
  const e = escapeControls;
  switch (s.kind) {
    case 'dm':
      return `${e(s.from)} → you: ${e(s.text)}`;
    case 'room':
      return `#${e(s.room)} <${e(s.from)}> ${e(s.text)}`;
    case 'online':
      return `* ${e(s.nick)} is online`;
    case 'offline':
      return `* ${e(s.nick)} left${s.room === undefined ? '' : ` #${e(s.room)}`}`;
    case 'renamed':
      return `* ${e(s.from)} is now ${e(s.to)}`;
    case 'joined':
      return `* ${e(s.nick)} joined #${e(s.room)}`;
    case 'left':
      return `* ${e(s.nick)} left #${e(s.room)}`;
    case 'receipt':
      return `* ${e(s.to)} got your message`;
    case 'shutdown':
      return `* the server is going down: ${e(s.raw)}`;
    default:
      return e(s.raw);
  }
}

const ESCAPES: Readonly<Record<string, number>> = { '\\r': 0x0d, '\\n': 0x0a, '\\t': 0x09, '\\0': 0x00, '\\\\': 0x5c };

/** What `/raw` sends for what was typed: `\r`, `\n`, `\t`, `\0`, `\\` and `\xNN` (so `\x04`) understood, the rest as UTF-8. */
export function unescapeTyped(typed: string): Buffer {
  return Buffer.concat(
    typed.split(/(\\x[0-9a-fA-F]{2}|\\[rnt0\\])/).map((part) => {
      if (part.startsWith('\\x') && part.length === 4) return Buffer.from([parseInt(part.slice(2), 16)]);
      const byte = ESCAPES[part];
      return byte === undefined ? Buffer.from(part, 'utf8') : Buffer.from([byte]);
    }),
  );
}

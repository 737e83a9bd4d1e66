import type { Codec } from './types.js';

/**
 * Plain IRC (RFC 2812 client subset): NICK/USER, wait for 001, answer PING,
 * JOIN confirmed by 366 (end of NAMES), PRIVMSG. Also spoken by the raw relay.
 */
export const irc: Codec = {
  name: 'irc',
  terminator: '\n',
  start(c) {
    c.write(`NICK ${c.nick}\r\nUSER ${c.nick} 0 * :bench\r\n`);
  },
  control(frame, c) {
    if (frame.startsWith('PING')) {
      c.write(`PONG${frame.slice(4)}\r\n`);
      return;
    }
    const numeric = numericOf(frame);
    if (numeric === '001') c.loggedIn();
    else if (numeric === '366') c.joined();
    else if (numeric === '433' || numeric === '432') c.fail(frame);
    else if (numeric !== undefined && numeric[0] === '4' && numeric !== '422') c.error(frame); // 422: no MOTD, harmless
    else if (frame.startsWith('ERROR')) c.fail(frame);
  },
  join(room, c) {
    c.write(`JOIN #${room}\r\n`);
  },
  dm(_from, to, text) {
    return `PRIVMSG ${to} :${text}\r\n`;
  },
  room(_from, room, text) {
    return `PRIVMSG #${room} :${text}\r\n`;
  },
};

/** The three-digit reply code of `:server NNN ...`, if any. */
function numericOf(frame: string): string | undefined {
  if (frame.charCodeAt(0) !== 0x3a) return undefined;
  const sp = frame.indexOf(' ');
  if (sp < 0 || frame.length < sp + 5 || frame[sp + 4] !== ' ') return undefined;
  const code = frame.slice(sp + 1, sp + 4);
  return /^\d{3}$/.test(code) ? code : undefined;
}

import type { Codec } from './types.js';

/**
 * PSU chat (packages/psu/README.md): `NICK n` answered `n: welcome! ...`;
 * `JOIN #r` answered `#r: ...joined...`; PRIVMSG to a nick or `#room` is
 * silent on success. Received: `<from> text` and `#room <from> text`.
 */
export const psu: Codec = {
  name: 'psu',
  terminator: '\n',
  start(c) {
    c.write(`NICK ${c.nick}\r\n`);
  },
  control(frame, c) {
    if (c.receiving) {
      // Presence lines are expected (others join and leave); anything else answers a bad PRIVMSG.
      if (!frame.includes(' has joined #') && !frame.includes(' has left #') && !frame.includes(' is now known as ')) c.error(frame);
      return;
    }
    if (frame.startsWith(`${c.nick}: welcome`)) c.loggedIn();
    else if (frame.startsWith(`${c.nick}: `)) c.fail(frame);
    else if (frame.charCodeAt(0) === 0x23 /* # */ && frame.includes(': ') && / joined|already in/.test(frame)) c.joined();
    else if (frame.charCodeAt(0) === 0x23 && !frame.includes(' has ')) c.fail(frame);
  },
  join(room, c) {
    c.write(`JOIN #${room}\r\n`);
  },
  dm(_from, to, text) {
    return `PRIVMSG ${to} ${text}\r\n`;
  },
  room(_from, room, text) {
    return `PRIVMSG #${room} ${text}\r\n`;
  },
};

import type { Codec } from './types.js';

/**
 * WS_2017 (packages/ws2017): greeting `+OK ...`, then `uname n` answered
 * `+OK you are n`; `chatm <me> <to> <text>` answered `+OK 'message relayed'`
 * (and `chatr` later); the server's `cping` answered `cpong`. Received:
 * `chatm <from> <me> '<text>'`, plus `nuser`/`cquit` presence lines. The bench
 * does not send `chatr` for what it receives (optional for a client).
 */
export const ws2017: Codec = {
  name: 'ws2017',
  terminator: '\n',
  start() {
    // Wait for the greeting, as a real client does.
  },
  control(frame, c) {
    if (frame === 'cping' || frame === 'ping') {
      c.write('cpong\r\n');
      return;
    }
    if (c.receiving) {
      if (frame.startsWith('-ERR')) c.error(frame);
      return;
    }
    if (frame === `+OK you are ${c.nick}` || frame === `+OK welcome back ${c.nick}`) c.loggedIn();
    else if (frame.startsWith('-ERR')) c.fail(frame);
    else if (frame.startsWith('+OK ') && !frame.startsWith('+OK nuser') && !frame.startsWith('+OK you')) c.write(`uname ${c.nick}\r\n`);
  },
  join(_room, c) {
    c.fail('WS_2017 has no rooms');
  },
  dm(from, to, text) {
    return `chatm ${from} ${to} ${text}\r\n`;
  },
  room() {
    throw new Error('WS_2017 has no rooms');
  },
};

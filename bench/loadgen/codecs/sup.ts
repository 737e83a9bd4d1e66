import type { Codec } from './types.js';

/**
 * Sup (packages/sup/README.md): EOT-terminated; no greeting; `login n` and
 * every `send <to> <text>` get exactly one `status` reply. Received: `recv <from> <text>`.
 */
export const sup: Codec = {
  name: 'sup',
  terminator: '\x04',
  start(c) {
    c.write(`login ${c.nick}\x04`);
  },
  control(frame, c) {
    // What the server sends has no CR/LF around it, but be lenient.
    const f = frame.trim();
    if (f === 'status 000 OK') {
      if (!c.receiving) c.loggedIn();
      return;
    }
    if (f.startsWith('status ')) {
      if (c.receiving) c.error(f);
      else c.fail(f);
    }
  },
  join(_room, c) {
    c.fail('Sup has no rooms');
  },
  dm(_from, to, text) {
    return `send ${to} ${text}\x04`;
  },
  room() {
    throw new Error('Sup has no rooms');
  },
};

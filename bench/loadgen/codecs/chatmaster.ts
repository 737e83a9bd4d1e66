import type { Codec } from './types.js';

// How the gateway begins every notification (JSON.stringify keeps `type` first).
const NOTIFICATION = '{"type":"notification"';

/**
 * ChatMaster 3000 (packages/chatmaster): JSON packages, each sent ended by
 * `\n` (so the gateway stops pacing packages to us), never compressed. The
 * server opens with `request` login; `command` login is answered by `session`
 * {status: true}; the user starts in `general`. A `message` goes to the
 * current channel, or with `to` as a DM. Received messages are found by the
 * bench marker inside the package, without parsing the JSON.
 */
export const chatmaster: Codec = {
  name: 'chatmaster',
  terminator: '\n',
  start() {
    // Wait for the login request.
  },
  control(frame, c) {
    // Presence is most of what arrives (a user_joined or user_left per login and logout, each
    // with up to 200 names) and nothing waits on it: parsing it was the generator's time, not the server's.
    if (frame.startsWith(NOTIFICATION)) return;
    let pkg: { type?: string; data?: Record<string, unknown> };
    try {
      pkg = JSON.parse(frame) as typeof pkg;
    } catch {
      c.error(frame);
      return;
    }
    if (pkg.type === 'error') {
      if (c.receiving) c.error(frame);
      else c.fail(frame);
    } else if (pkg.type === 'request' && pkg.data?.request === 'login') {
      c.write(`${JSON.stringify({ type: 'command', data: { command: 'login', parameters: { username: c.nick } } })}\n`);
    } else if (pkg.type === 'session') {
      if (pkg.data?.status === true) c.loggedIn();
      else c.fail(frame);
    }
  },
  join(room, c) {
    // Everyone starts in general; another room is one `join` away, confirmed by nothing
    // the bench can wait on cheaply, so the bench only uses general.
    if (room === 'general') c.joined();
    else c.fail(`the bench's ChatMaster client only uses the room general, not ${room}`);
  },
  dm(_from, to, text) {
    return `{"type":"message","data":{"message":"${text}","to":"${to}"}}\n`;
  },
  room(_from, _room, text) {
    return `{"type":"message","data":{"message":"${text}"}}\n`;
  },
};

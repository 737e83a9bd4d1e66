import { fold, type Visibility } from '@chat-gateway/core';
import { CRLF, param } from './encoder.js';
import type { IrcFrame } from './framer.js';
import { isChannel, visibleRoom, type CommandPort } from './port.js';

/** List modes a client may ask for (irssi asks `MODE #c b` on join): always empty here, so only their end numerics. */
const LISTS: Readonly<Record<string, readonly [code: string, text: string]>> = Object.freeze({
  b: ['368', 'End of channel ban list'],
  e: ['349', 'End of channel exception list'],
  I: ['347', 'End of channel invite list'],
});

/**
 * MODE (RFC 2812 3.1.5 user, 3.2.3 channel; DESIGN.md IRC). A channel is
 * `+nt`, and `+s` while private: `+s`/`-s` make the Hub's room private or
 * public (a room named in config stays public, as ChatMaster keeps it);
 * `+n`/`+t` are already set; every other change is refused with `482`.
 * A user is `+i`, whatever is asked; another user's modes are `502`.
 */
export async function mode(s: CommandPort, frame: IrcFrame): Promise<void> {
  const [target, changes] = frame.params;
  if (target === undefined) return s.fail('BAD_ARGUMENTS', { command: 'MODE' });
  if (!isChannel(target)) {
    if (fold(target) !== fold(s.me)) return s.fail('FORBIDDEN', { command: 'MODE', subject: param(target) });
    return s.reply([['221', [], '+i']]);
  }
  const room = await visibleRoom(s, target.slice(1));
  if (!room) return s.fail('NO_SUCH_ROOM', { command: 'MODE', subject: param(target) });
  const chan = `#${room.name}`;
  if (changes === undefined) return s.reply([['324', [chan, room.private ? '+nst' : '+nt']]]);
  const list = LISTS[changes.replace(/^\+/, '')];
  if (list) return s.reply([[list[0], [chan], list[1]]]);
  let want: Visibility | undefined;
  let sign = '+';
  for (const c of changes) {
    if (c === '+' || c === '-') sign = c;
    else if (c === 's') want = sign === '+' ? 'private' : 'public';
    else if (!((c === 'n' || c === 't') && sign === '+')) {
      return s.fail('FORBIDDEN', { command: 'MODE', subject: chan, detail: `Cannot change mode ${sign}${c} here: only +s and -s (secret) are supported` });
    }
  }
  if (want === undefined || want === (room.private ? 'private' : 'public')) return;
  if (!s.channels.has(fold(room.name))) return s.fail('NOT_IN_ROOM', { command: 'MODE', subject: chan });
  if (want === 'private' && room.persistent) return s.fail('FORBIDDEN', { command: 'MODE', subject: chan, detail: `${chan} is a configured channel and stays public` });
  const r = await s.hub.setVisibility(s, room.name, want);
  if (!r.ok) return s.fail(r.code, { command: 'MODE', subject: chan });
  s.write(`:${s.mask} MODE ${chan} ${want === 'private' ? '+s' : '-s'}${CRLF}`);
}

import { fold, type Result, type UserRecord } from '@chat-gateway/core';
import { CRLF, param, plain } from './encoder.js';
import { CONTENT_MAX, type IrcFrame } from './framer.js';
import { mode } from './modes.js';
import { hostOf, isChannel, realname, targets, visibleRoom, type CommandPort } from './port.js';
import type { Numeric } from './welcome.js';

type Command = (s: CommandPort, frame: IrcFrame) => void | Promise<void>;

/**
 * PRIVMSG and NOTICE (RFC 2812 3.3): to nicks and `#channels`, several
 * comma-separated. A channel needs membership (404). A NOTICE is sent with
 * the Hub's notice flag and never answered, errors included (3.3.2).
 * CTCP ACTION (`/me`) becomes `* text` (ctcp()).
 */
function message(s: CommandPort, frame: IrcFrame): void | Promise<void> {
  const command = frame.command;
  const notice = command === 'NOTICE';
  const p = frame.params;
  const list = p.length > 0 ? p[0]! : '';
  if (list === '') return s.fail('BAD_ARGUMENTS', { command, quiet: notice });
  const text = ctcp(p.length > 1 ? p[1]! : '');
  if (text === '') return s.fail('TEXT_INVALID', { command, quiet: notice });
  const opts = notice ? { notice } : undefined;
  // One target is the common case (every DM a client sends): no list to build.
  if (list.indexOf(',') < 0) return deliverTo(s, command, list, text, opts);
  const to = targets(list);
  if (to.length === 0) return s.fail('BAD_ARGUMENTS', { command, quiet: notice });
  return deliverAll(s, command, to, text, opts);
}

/** Several targets, in turn: each failure gets its own reply and does not stop the others. */
async function deliverAll(s: CommandPort, command: string, to: readonly string[], text: string, opts: { notice: boolean } | undefined): Promise<void> {
  for (const t of to) await deliverTo(s, command, t, text, opts);
}

/**
 * One target of a PRIVMSG or NOTICE; a failure is that target's reply (none for a NOTICE). A user
 * of this node or a room the sender is in is answered at once (Hub.directNow/roomNow: no promise,
 * the next line goes on in the same turn, as on PSU), so is a user of a node the Hub remembers
 * (directFar); anything else waits for the Directory.
 */
function deliverTo(s: CommandPort, command: string, t: string, text: string, opts: { notice: boolean } | undefined): void | Promise<void> {
  const channel = isChannel(t);
  const now = channel ? s.hub.roomNow(s, t.slice(1), text, opts) : s.hub.directNow(s, t, text, opts);
  if (now !== undefined) return answered(s, command, t, now, opts);
  // A nick of another node the Hub knows where to find: on its way now, its answer (an error, if any) in order later.
  if (!channel && s.directFar(t, text, (r) => answered(s, command, t, r, opts), opts)) return;
  return deliverLater(s, command, t, text, opts);
}

async function deliverLater(s: CommandPort, command: string, t: string, text: string, opts: { notice: boolean } | undefined): Promise<void> {
  let r: Result<unknown>;
  try {
    r = isChannel(t) ? await s.hub.sendRoom(s, t.slice(1), text, opts) : await s.hub.sendDirect(s, t, text, opts);
  } catch {
    r = { ok: false, code: 'INTERNAL' };
  }
  answered(s, command, t, r, opts);
}

function answered(s: CommandPort, command: string, t: string, r: Result<unknown>, opts: { notice: boolean } | undefined): void {
  if (!r.ok) s.fail(r.code, { command, subject: param(t), detail: r.code === 'INTERNAL' ? r.detail : undefined, quiet: opts !== undefined });
}

/**
 * A message text as the Hub carries it: CTCP ACTION (`\x01ACTION waves\x01`,
 * irssi's `/me waves`) becomes `* waves`, readable on every dialect (the
 * sender's nick is shown beside it everywhere); any other text is as sent
 * (other CTCP requests cannot be answered across dialects: their \x01 is
 * dropped on output as every control is).
 */
export function ctcp(text: string): string {
  if (!text.startsWith('\x01ACTION')) return text;
  const body = text.slice(7, text.endsWith('\x01') && text.length > 7 ? -1 : undefined);
  if (body !== '' && body[0] !== ' ') return text;
  return `*${body}`;
}

/** JOIN #a,#b (keys ignored), JOIN 0 parts all (RFC 2812 3.2.1): the echo, `331`, then NAMES. */
async function join(s: CommandPort, frame: IrcFrame): Promise<void> {
  const list = frame.params[0];
  if (list === undefined) return s.fail('BAD_ARGUMENTS', { command: 'JOIN' });
  if (list === '0') {
    for (const name of [...s.channels.values()]) await leave(s, `#${name}`);
    return;
  }
  for (const t of targets(list)) {
    if (!isChannel(t)) {
      s.fail('NO_SUCH_ROOM', { command: 'JOIN', subject: param(t) });
      continue;
    }
    const r = await s.hub.join(s, t.slice(1));
    if (!r.ok) {
      s.fail(r.code, { command: 'JOIN', subject: param(t) });
      continue;
    }
    // Already in it: nothing, as servers do.
    if (r.value.already) continue;
    const room = r.value.room;
    s.channels.set(fold(room), room);
    s.write(`:${s.mask} JOIN #${room}${CRLF}`);
    s.reply([['331', [`#${room}`], 'No topic is set']]);
    await names(s, `#${room}`);
  }
}

async function part(s: CommandPort, frame: IrcFrame): Promise<void> {
  const list = frame.params[0];
  if (list === undefined) return s.fail('BAD_ARGUMENTS', { command: 'PART' });
  // The reason is not carried: the Hub's room.left has none, so no dialect would see it (README "Choices").
  for (const t of targets(list)) await leave(s, t);
}

async function leave(s: CommandPort, t: string): Promise<void> {
  if (!isChannel(t)) return s.fail('NO_SUCH_ROOM', { command: 'PART', subject: param(t) });
  const r = await s.hub.part(s, t.slice(1));
  if (!r.ok) return s.fail(r.code, { command: 'PART', subject: param(t) });
  s.channels.delete(fold(r.value.room));
  s.write(`:${s.mask} PART #${r.value.room}${CRLF}`);
}

/** NAMES #a,#b (RFC 2812 3.2.5): `353` lines that fit 512 bytes, then `366`; a channel one may not see has only the `366`. */
async function names(s: CommandPort, list: string): Promise<void> {
  for (const t of targets(list)) {
    const room = isChannel(t) ? await visibleRoom(s, t.slice(1)) : undefined;
    if (!room) {
      s.reply([['366', [param(t)], 'End of /NAMES list.']]);
      continue;
    }
    const members = await s.hub.members(room.name);
    // `=` public, `@` secret (RFC 2812 5.1 RPL_NAMREPLY); the head ends in ` :`, names follow.
    const head = s.numeric('353', [room.private ? '@' : '=', `#${room.name}`], '').slice(0, -CRLF.length);
    let out = '';
    for (const l of packNames(members, CONTENT_MAX - head.length)) out += head + l + CRLF;
    s.write(out + s.numeric('366', [`#${room.name}`], 'End of /NAMES list.'));
  }
}

/** Nicks joined by spaces in lines of at most `budget` bytes, never a nick cut (nicks are ASCII). */
function packNames(members: readonly string[], budget: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const m of members) {
    if (line !== '' && line.length + 1 + m.length > budget) {
      out.push(line);
      line = '';
    }
    line = line === '' ? m : `${line} ${m}`;
  }
  if (line !== '') out.push(line);
  return out;
}

/** LIST [#a,#b] (RFC 2812 3.2.6): `321`, a `322` per room one may see, `323`. */
async function list(s: CommandPort, frame: IrcFrame): Promise<void> {
  const wanted = frame.params[0] ? new Set(targets(frame.params[0]).filter(isChannel).map((t) => fold(t.slice(1)))) : undefined;
  const rooms = (await s.hub.rooms(s)).filter((r) => !wanted || wanted.has(fold(r.name)));
  s.reply([['321', ['Channel'], 'Users  Name'], ...rooms.map((r): Numeric => ['322', [`#${r.name}`, String(r.size)], '']), ['323', [], 'End of /LIST']]);
}

/** WHO #channel | nick (RFC 2812 3.6.1): a `352` per user, then `315`. */
async function who(s: CommandPort, frame: IrcFrame): Promise<void> {
  const mask = frame.params[0] ?? '*';
  const rows: Numeric[] = [];
  const row = (u: UserRecord, channel: string): Numeric => {
    const away = s.nick !== undefined && fold(u.nick) === fold(s.nick) && s.away !== undefined;
    return ['352', [channel, u.nick, hostOf(s, u), s.options.serverName, u.nick, away ? 'G' : 'H'], `0 ${realname(u)}`];
  };
  if (isChannel(mask)) {
    const room = await visibleRoom(s, mask.slice(1));
    if (room) {
      for (const m of await s.hub.members(room.name)) {
        const u = await s.hub.user(m);
        if (u) rows.push(row(u, `#${room.name}`));
      }
    }
  } else if (mask !== '*') {
    const u = await s.hub.user(mask);
    if (u) rows.push(row(u, '*'));
  }
  s.reply([...rows, ['315', [param(mask)], 'End of WHO list']]);
}

/** WHOIS [server] nick[,nick] (RFC 2812 3.6.2): `311`, `312` (the dialect), `301` when away, then `318`; `401` for nobody. */
async function whois(s: CommandPort, frame: IrcFrame): Promise<void> {
  const list = frame.params.at(-1);
  if (list === undefined) return s.fail('BAD_ARGUMENTS', { command: 'WHOIS' });
  for (const nick of targets(list)) {
    const u = await s.hub.user(nick);
    if (!u) s.fail('NO_SUCH_USER', { command: 'WHOIS', subject: param(nick) });
    else {
      const self = s.nick !== undefined && fold(u.nick) === fold(s.nick);
      s.reply([
        ['311', [u.nick, u.nick, hostOf(s, u), '*'], realname(u)],
        ...(self && s.channels.size > 0 ? [['319', [u.nick], [...s.channels.values()].map((c) => `#${c}`).join(' ')] as Numeric] : []),
        ['312', [u.nick, s.options.serverName], `chat-gateway, ${u.dialect} dialect`],
        ...(self && s.away !== undefined ? [['301', [u.nick], s.away] as Numeric] : []),
      ]);
    }
    s.reply([['318', [u ? u.nick : param(nick)], 'End of /WHOIS list']]);
  }
}

/** WHOWAS (RFC 2812 3.6.3): no history is kept, so `406` and `369` (irssi asks it after a WHOIS of someone gone). */
function whowas(s: CommandPort, frame: IrcFrame): void {
  const nick = frame.params[0];
  if (nick === undefined) return s.fail('BAD_ARGUMENTS', { command: 'WHOWAS' });
  s.fail('NO_SUCH_USER', { command: 'WHOWAS', subject: param(nick) });
  s.reply([['369', [param(nick)], 'End of WHOWAS']]);
}

/** TOPIC #channel (RFC 2812 3.2.4): no channel keeps a topic, so `331`; setting one is refused (`482`). */
async function topic(s: CommandPort, frame: IrcFrame): Promise<void> {
  const t = frame.params[0];
  if (t === undefined) return s.fail('BAD_ARGUMENTS', { command: 'TOPIC' });
  const room = isChannel(t) ? await visibleRoom(s, t.slice(1)) : undefined;
  if (!room) return s.fail('NO_SUCH_ROOM', { command: 'TOPIC', subject: param(t) });
  if (frame.params.length < 2) return s.reply([['331', [`#${room.name}`], 'No topic is set']]);
  if (!s.channels.has(fold(room.name))) return s.fail('NOT_IN_ROOM', { command: 'TOPIC', subject: `#${room.name}` });
  s.fail('FORBIDDEN', { command: 'TOPIC', subject: `#${room.name}`, detail: 'Topics are not kept on this network' });
}

/** AWAY [:text] (RFC 2812 4.1): `306` marked away, `305` back. */
function away(s: CommandPort, frame: IrcFrame): void {
  // Shown back in WHO and WHOIS: one line, controls dropped, at most 300 characters.
  const text = plain(frame.params[0] ?? '');
  s.away = text === '' ? undefined : text;
  s.reply([text === '' ? ['305', [], 'You are no longer marked as being away'] : ['306', [], 'You have been marked as being away']]);
}

/** ISON nick... (RFC 2812 4.9): `303` with those online (irssi's notify list). */
async function ison(s: CommandPort, frame: IrcFrame): Promise<void> {
  const online: string[] = [];
  for (const n of frame.params.flatMap((p) => p.split(' ')).filter(Boolean)) {
    const u = await s.hub.user(n);
    if (u) online.push(u.nick);
  }
  s.reply([['303', [], online.join(' ')]]);
}

/** USERHOST nick... (RFC 2812 4.8): `302` with `nick=+nick@host` for those online. */
async function userhost(s: CommandPort, frame: IrcFrame): Promise<void> {
  const found: string[] = [];
  for (const n of frame.params.slice(0, 5)) {
    const u = await s.hub.user(n);
    if (u) found.push(`${u.nick}=+${u.nick}@${hostOf(s, u)}`);
  }
  s.reply([['302', [], found.join(' ')]]);
}

/** Every command but registration, PING/PONG and QUIT (session.ts); anything else is `421`. */
export const COMMANDS: Readonly<Record<string, Command>> = Object.freeze({
  PRIVMSG: message,
  NOTICE: message,
  JOIN: join,
  PART: part,
  NAMES: (s, f) => (f.params[0] ? names(s, f.params[0]) : s.reply([['366', ['*'], 'End of /NAMES list.']])),
  LIST: list,
  WHO: who,
  WHOIS: whois,
  WHOWAS: whowas,
  MODE: mode,
  TOPIC: topic,
  AWAY: away,
  ISON: ison,
  USERHOST: userhost,
  MOTD: (s) => s.motd(),
});

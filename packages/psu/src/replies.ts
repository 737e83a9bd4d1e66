import type { ErrorCode } from '@chat-gateway/core';

/**
 * Every line the PSU dialect sends but DM and room-message text, in one place
 * (README.md is the cheat sheet). Lines fixed by DESIGN.md's table are marked
 * FIXED; the others are ours: one line each, the room (`#name`) or nick first
 * where there is one (DESIGN.md PSU). No line here ends in a terminator.
 */

/** specs/psu-chat.txt 3.1: "the following message must be sent to all connected clients". */
export const SHUTDOWN_LINE = 'Server shutting down.';

/** The commands, for help texts. */
export const COMMANDS = 'NICK, JOIN, PART, NAMES, LIST, PRIVMSG, QUIT';

/** How each command is used: BAD_ARGUMENTS shows this. */
export const USAGE: Readonly<Record<string, string>> = Object.freeze({
  NICK: 'NICK <nickname>',
  NAME: 'NAME <nickname>',
  JOIN: 'JOIN #room',
  PART: 'PART #room',
  NAMES: 'NAMES #room',
  LIST: 'LIST',
  PRIVMSG: 'PRIVMSG <nick|#room>[,<nick|#room>...] <text>',
  QUIT: 'QUIT',
});

/** What an error line may name: the nick, `#room` or command it is about, and details. */
export interface ErrorArgs {
  /** The nick, `#room` or command the error is about; shown first. */
  subject?: string;
  /** A free nick to suggest (NICK_TAKEN, NICK_INVALID), or the usage (BAD_ARGUMENTS). */
  detail?: string;
  /** The limit that was hit (characters for TEXT_INVALID, bytes for FRAME_TOO_LARGE). */
  max?: number;
}

const about = (a: ErrorArgs, msg: string): string => (a.subject ? `${a.subject}: ${msg}` : msg[0]!.toUpperCase() + msg.slice(1));
const tryNick = (a: ErrorArgs): string => (a.detail ? `, e.g. NICK ${a.detail}` : '');

/**
 * THE table: every canonical ErrorCode (core errors.ts) as the one PSU line it
 * becomes. Hub results, framer faults and connection-layer faults all end here.
 */
export const ERROR_REPLIES: Readonly<Record<ErrorCode, (a: ErrorArgs) => string>> = Object.freeze({
  NICK_TAKEN: (a) => about(a, `nick is already in use, choose another${tryNick(a)}`),
  NICK_INVALID: (a) => about(a, `not a valid nick (use letters, digits, _ - . and start with a letter), choose another${tryNick(a)}`),
  NICK_UNCHANGED: (a) => about(a, 'that is already your nick'),
  // DESIGN.md PSU: a command before NICK gets "a line asking for a nick".
  NOT_REGISTERED: () => 'Choose a nick first: NICK <nickname>',
  ALREADY_REGISTERED: (a) => about(a, 'you already have a nick; NICK <newnick> renames you'),
  // specs/psu-chat.txt 4.6: "the client will receive a message that the nick does not exist".
  NO_SUCH_USER: (a) => about(a, 'no such nick'),
  NO_SUCH_ROOM: (a) => about(a, 'no such room'),
  NOT_IN_ROOM: (a) => about(a, `you are not in this room (JOIN ${a.subject ?? '#room'} first)`),
  ROOM_INVALID: (a) => about(a, 'not a valid room name (#name: letters, digits, _ - .)'),
  TEXT_INVALID: (a) => about(a, `message is empty or too long${a.max ? ` (at most ${a.max} characters)` : ''}`),
  RATE_LIMITED: () => 'Slow down: too many lines, that one was dropped',
  INTERNAL: (a) => about(a, 'internal error, that did not work; please try again'),
  FRAME_TOO_LARGE: (a) => `Line too long${a.max ? ` (more than ${a.max} bytes)` : ''}, ignored`,
  BAD_FRAME: () => 'Could not read that line, ignored',
  UNKNOWN_COMMAND: (a) => about(a, `unknown command (commands: ${COMMANDS})`),
  BAD_ARGUMENTS: (a) => about(a, `usage: ${a.detail ?? (a.subject && USAGE[a.subject]) ?? COMMANDS}`),
  FORBIDDEN: (a) => about(a, 'not allowed'),
  REGISTRATION_TIMEOUT: () => 'No nick given in time, disconnecting',
  PING_TIMEOUT: () => 'No answer in time, disconnecting',
  TOO_MANY_CONNECTIONS: () => 'Too many connections, try again later',
  SEND_QUEUE_FULL: () => 'Not reading fast enough, disconnecting',
  SHUTTING_DOWN: () => SHUTDOWN_LINE,
});

/** The PSU line for a canonical error. */
export function errorLine(code: ErrorCode, args: ErrorArgs = {}): string {
  return ERROR_REPLIES[code](args);
}

/** `#name`: how PSU shows a canonical room name (DESIGN.md "Canonical model"). */
export const roomRef = (room: string): string => `#${room}`;

const members = (n: number): string => (n === 1 ? '1 member' : `${n} members`);

/** Fixed and chosen success lines. */
export const Lines = {
  /** FIXED (specs/psu-chat.txt 3.1, DESIGN.md table): the controlled-shutdown notice. */
  shutdown: (): string => SHUTDOWN_LINE,
  /** FIXED: another member joined one of my rooms. */
  joined: (nick: string, room: string): string => `${nick} has joined #${room}`,
  /** FIXED (spec 4.3 without its `**`): another member left (PART, QUIT or a dropped connection). */
  left: (nick: string, room: string): string => `${nick} has left #${room}`,
  /** FIXED: a nick sharing a room with me was renamed; also my own rename's reply. */
  renamed: (from: string, to: string): string => `${from} is now known as ${to}`,

  /** First NICK accepted. */
  welcome: (nick: string): string => `${nick}: welcome! Try LIST, JOIN #general, PRIVMSG <nick|#room> <text>, QUIT`,
  /** JOIN created the room. */
  created: (room: string): string => `#${room}: room created, you have joined`,
  /** JOIN of an existing room; `count` includes the joiner. */
  joinedSelf: (room: string, count: number): string => `#${room}: you have joined (${members(count)})`,
  alreadyIn: (room: string): string => `#${room}: you are already in this room`,
  /** PART; `deleted` when the room went with its last member (spec 2.1). */
  partedSelf: (room: string, deleted: boolean): string => `#${room}: you have left${deleted ? ', room deleted' : ''}`,
  /** NAMES: one line per member (spec 4.4), then an end line that also says how many. */
  namesMember: (room: string, nick: string): string => `#${room}: ${nick}`,
  namesEnd: (room: string, count: number): string => `#${room}: end of NAMES, ${members(count)}`,
  /** LIST: one line per visible room (spec 4.5), then an end line. */
  listRoom: (room: string, count: number, isPrivate: boolean): string => `#${room}: ${members(count)}${isPrivate ? ', private' : ''}`,
  listEnd: (count: number): string => `End of LIST, ${count === 1 ? '1 room' : `${count} rooms`}`,
  /** A room I am in changed visibility (ChatMaster `private` / `public`). */
  visibility: (room: string, isPrivate: boolean): string =>
    isPrivate ? `#${room}: now private (LIST shows it to members only)` : `#${room}: now public`,
  /** QUIT, just before the server closes the connection. */
  goodbye: (nick: string | undefined): string => (nick ? `${nick}: goodbye` : 'Goodbye'),
} as const;

import { visible, type ErrorCode } from '@chat-gateway/core';

/** What a negative reply may mention: the command that failed, the Hub's detail, the line limit. */
export interface ReplyContext {
  /** The keyword as the gateway knows it (`uname`, `chatm`, ...); absent for framer and connection faults. */
  command?: string;
  /** A suggestion (NICK_TAKEN, NICK_INVALID), a nick (NO_SUCH_USER) or a reason (FORBIDDEN). */
  detail?: string;
  /** limits.lineMax, for FRAME_TOO_LARGE. */
  lineMax?: number;
}

type Reply = (c: ReplyContext) => string;

/**
 * rev-b "Commands": "A negative response has a '-ERR' followed by the
 * command that failed and an argument that either is a message with what went
 * wrong or a suggestion for change". Faults that belong to no command (framer,
 * connection layer) get `-ERR <message>`.
 */
function err(c: ReplyContext, message: string): string {
  return c.command ? `-ERR ${c.command} ${message}` : `-ERR ${message}`;
}

// A detail may echo what the client typed (a recipient name): core's visible(), one line, short, controls shown escaped.
function shown(detail: string | undefined, fallback: string): string {
  const s = detail?.trim();
  return s ? visible(s) : fallback;
}

/**
 * Every canonical ErrorCode as a WS_2017 line (without terminator), in one
 * table. The forms DESIGN.md WS_2017 fixes are quoted there; the rest follow
 * rev-b's "-ERR <command> <what went wrong>".
 */
export const ERROR_REPLIES: Readonly<Record<ErrorCode, Reply>> = Object.freeze({
  // DESIGN.md: taken → `-ERR uname <free suggestion>`; invalid → `-ERR uname <sanitized suggestion>`.
  NICK_TAKEN: (c) => err({ command: c.command ?? 'uname' }, shown(c.detail, 'name is already taken')),
  NICK_INVALID: (c) => err({ command: c.command ?? 'uname' }, shown(c.detail, 'user')),
  // rev-b "own username entered: -ERR same username entered".
  NICK_UNCHANGED: () => '-ERR same username entered',
  // DESIGN.md: commands other than uname/ping/cquit before uname: `-ERR <command> <say that uname comes first>`.
  NOT_REGISTERED: (c) => err(c, 'uname comes first'),
  ALREADY_REGISTERED: (c) => err(c, 'already registered'),
  NO_SUCH_USER: (c) => err(c, `${shown(c.detail, 'user')} is not online`),
  // WS_2017 has no rooms; the Hub never returns these to it, but every code has a reply.
  NO_SUCH_ROOM: (c) => err(c, 'no such room'),
  NOT_IN_ROOM: (c) => err(c, 'not a member of that room'),
  ROOM_INVALID: (c) => err(c, 'room name is not valid'),
  TEXT_INVALID: (c) => err(c, 'message is empty or too long'),
  RATE_LIMITED: () => '-ERR too many commands, slow down',
  INTERNAL: (c) => err(c, 'internal error, try again'),
  FRAME_TOO_LARGE: (c) => `-ERR line too long${c.lineMax ? ` (limit ${c.lineMax} bytes)` : ''}`,
  BAD_FRAME: () => '-ERR line could not be decoded',
  // rev-b "If the entered command does not match a valid command".
  UNKNOWN_COMMAND: () => '-ERR entered command does not exist',
  // rev-b "If the entered command is badly formatted".
  BAD_ARGUMENTS: (c) => `-ERR ${c.command ?? 'command'} is not a properly formatted command`,
  FORBIDDEN: (c) => err(c, shown(c.detail, 'not allowed')),
  REGISTRATION_TIMEOUT: () => '-ERR no uname in time, disconnecting',
  PING_TIMEOUT: () => '-ERR no answer to cping in time, disconnecting',
  TOO_MANY_CONNECTIONS: () => '-ERR too many connections, try again later',
  SEND_QUEUE_FULL: () => '-ERR not reading fast enough, disconnecting',
  SHUTTING_DOWN: () => '-ERR server is shutting down',
});

/** The WS_2017 negative reply for a canonical error code. */
export function errorReply(code: ErrorCode, context: ReplyContext = {}): string {
  const reply = ERROR_REPLIES[code] ?? ERROR_REPLIES.INTERNAL;
  return reply(context);
}

import type { ErrorCode } from '@chat-gateway/core';

/** How one canonical error reads in a ChatMaster `error` package (or a refused `session`'s reason). */
export interface ErrorReply {
  /** The message; `detail` is the Hub's or framer's detail (a suggestion, a path, a limit). */
  text(detail?: string): string;
  /** The connection layer closes right after this fault: write it at once, never behind paced packages. */
  closes?: boolean;
  /** error_type when the fault answers no command (faults from the framer or connection layer); default "parse". */
  errorType?: string;
}

const withDetail = (base: string) => (detail?: string) => (detail ? `${base}: ${detail}.` : `${base}.`);

/**
 * Every canonical error (core errors.ts) as ChatMaster says it: the ONE
 * table (GUIDE "Errors"). The session picks the package: a refused login is a
 * `session` {status: false, reason}; everything else an `error` package whose
 * error_type is the command that failed, or "parse".
 */
export const ERROR_REPLIES: Readonly<Record<ErrorCode, ErrorReply>> = Object.freeze({
  NICK_TAKEN: { text: (d) => `Username is already taken.${d ? ` Try ${d}.` : ''}` },
  NICK_INVALID: { text: (d) => `Username is not valid: use 1-24 letters, digits, _ - . starting with a letter or _.${d ? ` Try ${d}.` : ''}` },
  NICK_UNCHANGED: { text: () => 'That is already your username.' },
  NOT_REGISTERED: { text: () => 'Log in first: send the login command.' },
  ALREADY_REGISTERED: { text: () => 'You are already logged in: use rename to change your username.' },
  NO_SUCH_USER: { text: (d) => (d ? `No user named ${d} is online.` : 'No such user is online.') },
  NO_SUCH_ROOM: { text: withDetail('No such channel') },
  NOT_IN_ROOM: { text: () => 'You are not in a channel: join one first.' },
  ROOM_INVALID: { text: () => 'Channel name is not valid: use 1-32 letters, digits, _ - .' },
  TEXT_INVALID: { text: () => 'Message is empty or too long.' },
  RATE_LIMITED: { text: () => 'Too many packages: slow down. That package was dropped.' },
  INTERNAL: { text: () => 'Internal server error.' },
  FRAME_TOO_LARGE: { text: withDetail('Package too large') },
  BAD_FRAME: { text: withDetail('Package could not be read') },
  UNKNOWN_COMMAND: { text: withDetail('Unknown command') },
  BAD_ARGUMENTS: { text: withDetail('Package is not properly formatted') },
  FORBIDDEN: { text: (d) => d ?? 'Not allowed.' },
  REGISTRATION_TIMEOUT: { text: () => 'No login in time; closing the connection.', closes: true, errorType: 'login' },
  PING_TIMEOUT: { text: () => 'No answer in time; closing the connection.', closes: true },
  TOO_MANY_CONNECTIONS: { text: () => 'Too many connections; try again later.', closes: true, errorType: 'login' },
  SEND_QUEUE_FULL: { text: () => 'You are not reading fast enough; closing the connection.', closes: true },
  SHUTTING_DOWN: { text: () => 'Server shutting down.', closes: true },
});

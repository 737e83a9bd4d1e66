/**
 * The canonical error catalogue (DESIGN.md "Canonical errors"). Every failure
 * a session can reply to carries one of these codes; each dialect maps codes
 * to its own reply in a single table.
 */
export const ERROR_CODES = {
  NICK_TAKEN: 'nick is already in use',
  NICK_INVALID: 'nick is not valid',
  NICK_UNCHANGED: 'nick is unchanged',
  NOT_REGISTERED: 'register a nick first',
  ALREADY_REGISTERED: 'already registered',
  NO_SUCH_USER: 'no such user',
  NO_SUCH_ROOM: 'no such room',
  NOT_IN_ROOM: 'not a member of that room',
  ROOM_INVALID: 'room name is not valid',
  TEXT_INVALID: 'text is empty or too long',
  RATE_LIMITED: 'too many frames, slow down',
  INTERNAL: 'internal error',
  // Protocol-level codes: raised by framers and the connection layer.
  FRAME_TOO_LARGE: 'frame exceeds the size limit',
  BAD_FRAME: 'frame could not be decoded',
  UNKNOWN_COMMAND: 'unknown command',
  BAD_ARGUMENTS: 'command is not properly formatted',
  FORBIDDEN: 'not allowed',
  REGISTRATION_TIMEOUT: 'no registration in time',
  PING_TIMEOUT: 'no answer to ping in time',
  TOO_MANY_CONNECTIONS: 'too many connections',
  SEND_QUEUE_FULL: 'client is not reading fast enough',
  SHUTTING_DOWN: 'server is shutting down',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * The back end could not be reached for a read (who is online, a room
 * list): thrown by the Hub's query methods, answered INTERNAL ("directory
 * unavailable, try again") by the connection layer without a stack trace,
 * since an outage is an operating condition, not a bug.
 */
export class BackendUnavailable extends Error {
  readonly code: ErrorCode = 'INTERNAL';
  override readonly name = 'BackendUnavailable';
}

/** Outcome of a Hub command: a value, or a canonical error code with detail. */
export type Result<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; detail?: string };

/** Wraps a value as a successful Result. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Builds a failed Result. */
export function fail<T = never>(code: ErrorCode, detail?: string): Result<T> {
  return { ok: false, code, detail };
}

import type { ErrorCode } from '@chat-gateway/core';

/** The status codes of specs/sup.txt, and nothing else. */
export type StatusCode = '000' | '001' | '100' | '101' | '102' | '103' | '104' | '200';

/** Each status code's words, exactly as the spec writes them. */
export const STATUS_TEXT: Readonly<Record<StatusCode, string>> = Object.freeze({
  '000': 'OK',
  '001': 'Online',
  '100': 'Malformed Message',
  '101': 'Username Taken',
  '102': 'Username Invalid',
  '103': 'Offline',
  '104': 'Messaged User Not Online',
  '200': 'Internal Error',
});

/**
 * The one ErrorCode → status table (GUIDE: replies in ONE table). The spec:
 * "100 level error message indicate a client problem, 200 level error message
 * indicate an internal error on the server" — so everything the client did
 * (bad or oversize message, wrong state, flooding) is 100 unless a more
 * specific code exists, and what the server cannot do for reasons of its own
 * (a bug, a send queue the client let fill) is 200.
 *
 * `undefined`: no status at all, the connection closes without a byte. Sup
 * answers messages and nothing else (DESIGN.md "Security": "exactly one status
 * per message it sent, and nothing before its login reply: a refusal at
 * connect is a close without bytes"), so a refusal or timeout that answers no
 * message is a silent close.
 */
export const STATUS_FOR_ERROR: Readonly<Record<ErrorCode, StatusCode | undefined>> = Object.freeze({
  NICK_TAKEN: '101',
  NICK_INVALID: '102',
  NICK_UNCHANGED: '100',
  NOT_REGISTERED: '100',
  ALREADY_REGISTERED: '100', // login twice: the message is out of order
  NO_SUCH_USER: '104',
  NO_SUCH_ROOM: '100', // Sup has no rooms
  NOT_IN_ROOM: '100',
  ROOM_INVALID: '100',
  TEXT_INVALID: '100', // empty (once controls are dropped) or longer than limits.textMax
  RATE_LIMITED: '100', // the flooded message is dropped, but still answered (README "Flood control")
  INTERNAL: '200',
  FRAME_TOO_LARGE: '100', // answered once, the rest skipped up to its EOT
  BAD_FRAME: '100',
  UNKNOWN_COMMAND: '100',
  BAD_ARGUMENTS: '100',
  FORBIDDEN: '100', // e.g. `quit` with another user's name
  REGISTRATION_TIMEOUT: undefined, // no login in time: it answers no message, so a close without bytes
  PING_TIMEOUT: undefined, // Sup has no keepalive; a close without bytes, like the timeout
  TOO_MANY_CONNECTIONS: undefined, // refused at connect, before the client said anything: a close without bytes
  SEND_QUEUE_FULL: '200', // the client stopped reading: its dropped replies' one stand-in, then close
  SHUTTING_DOWN: '200',
});

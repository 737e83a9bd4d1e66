import { defineDialect, linePending } from '@chat-gateway/core';
import { PsuFramer, type PsuFrame } from './framer.js';
import { PSU_DEFAULT_OPTIONS, PSU_OPTIONS_SCHEMA, type PsuOptions } from './options.js';
import { PsuSession } from './session.js';

/** The PSU chat dialect (specs/psu-chat.txt; DESIGN.md PSU), port 23456. */
export const dialect = defineDialect<PsuFrame, PsuOptions>({
  name: 'psu',
  defaultPort: 23456,
  optionsSchema: PSU_OPTIONS_SCHEMA,
  defaultOptions: PSU_DEFAULT_OPTIONS,
  createFramer: (limits) => new PsuFramer(limits.lineMax),
  createSession: (ctx) => new PsuSession(ctx),
  describe: (frame) => frame.raw,
  // Over WebSocket one line per message (DESIGN.md "Transports and the browser"); CRLF or a bare LF end a line.
  messages: { ends: ['\r\n', '\n'], maxMessage: (limits) => limits.lineMax },
  // DESIGN.md "Interop bench": a line that has no CR or LF yet.
  pendingHint: linePending,
});

export { PsuFramer, parseLine, TEXT_AFTER, type PsuFrame } from './framer.js';
export { encodeCommand, encodeDirect, encodeLine, encodeRoomMessage, encodeText, CRLF } from './encoder.js';
export { ERROR_REPLIES, Lines, SHUTDOWN_LINE, USAGE, errorLine, type ErrorArgs } from './replies.js';
export { PSU_DEFAULT_OPTIONS, PSU_OPTIONS_SCHEMA, DEFAULT_GREETING, type PsuOptions } from './options.js';
export { PsuSession } from './session.js';

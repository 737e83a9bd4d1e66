import { defineDialect, linePending } from '@chat-gateway/core';
import { IrcFramer, type IrcFrame } from './framer.js';
import { IRC_DEFAULT_OPTIONS, IRC_OPTIONS_SCHEMA, type IrcOptions } from './options.js';
import { DIALECT_NAME, IrcSession } from './session.js';

/** IRC, the client protocol of RFC 1459 / RFC 2812 (DESIGN.md IRC), port 6667. */
export const dialect = defineDialect<IrcFrame, IrcOptions>({
  name: DIALECT_NAME,
  defaultPort: 6667,
  optionsSchema: IRC_OPTIONS_SCHEMA,
  defaultOptions: IRC_DEFAULT_OPTIONS,
  // RFC 2812 fixes the line length: limits.lineMax (8 KiB for the other line dialects) does not apply.
  createFramer: () => new IrcFramer(),
  createSession: (ctx) => new IrcSession(ctx),
  describe: (frame) => frame.raw,
  // DESIGN.md "Interop bench": a line that has no CR or LF yet.
  pendingHint: linePending,
});

export { IrcFramer, parseMessage, LINE_MAX, CONTENT_MAX, type IrcFrame } from './framer.js';
export { CRLF, encodeCommand, encodeText, fit, hostmask, param, plain } from './encoder.js';
export { ERROR_REPLIES, errorReply, type ErrorArgs, type ErrorReply } from './replies.js';
export { IRC_DEFAULT_OPTIONS, IRC_OPTIONS_SCHEMA, resolveOptions, type IrcOptions } from './options.js';
export { ctcp } from './commands.js';
export { VERSION, welcome, motd, type Numeric } from './welcome.js';
export { IrcSession, DIALECT_NAME } from './session.js';

import { defineDialect, linePending } from '@chat-gateway/core';
import { createFramer, type WsFrame } from './framer.js';
import { DEFAULT_OPTIONS, OPTIONS_SCHEMA, type WsOptions } from './options.js';
import { DIALECT_NAME, WsSession } from './session.js';

export { parseLine, WsFramer, createFramer, type WsFrame } from './framer.js';
export { encodeFrame, encodeLine, quoteArg, terminatorOf, Say, LINE_ENDINGS, type LineEnding } from './encoder.js';
export { tokenize, takeArgs, unquote } from './tokenizer.js';
export { ERROR_REPLIES, errorReply, type ReplyContext } from './replies.js';
export { DEFAULT_OPTIONS, OPTIONS_SCHEMA, DEFAULT_GREETING, greetingText, resolveOptions, type WsOptions } from './options.js';
export { WsSession, type WsState } from './session.js';

/**
 * WS_2017 (DESIGN.md "WS_2017"; specs ws2017-rev-a and ws2017-rev-b), port
 * 1030 as both revisions say. Its clients send their own delivery receipts
 * (chatr), so sessions declare `receipts: true`.
 */
export const dialect = defineDialect<WsFrame, WsOptions>({
  name: DIALECT_NAME,
  defaultPort: 1030,
  optionsSchema: OPTIONS_SCHEMA,
  defaultOptions: DEFAULT_OPTIONS,
  createFramer: (limits) => createFramer(limits),
  createSession: (ctx) => new WsSession(ctx),
  describe: (frame) => frame.raw,
  // Over WebSocket one line per message (DESIGN.md "Transports and the browser"): the framer takes CR, LF or CRLF.
  messages: { ends: ['\r\n', '\r', '\n'], maxMessage: (limits) => limits.lineMax },
  // DESIGN.md "Interop bench": a line that has no CR or LF yet.
  pendingHint: linePending,
});

import { defineDialect, delimitedPending } from '@chat-gateway/core';
import { EOT, SupFramer } from './framer.js';
import { SUP_DEFAULT_OPTIONS, SUP_OPTIONS_SCHEMA, type SupOptions } from './options.js';
import { SupSession } from './session.js';

/** The Sup dialect (specs/sup.txt; DESIGN.md Sup): EOT-terminated ASCII messages, port 3000. */
export const dialect = defineDialect<string, SupOptions>({
  name: 'sup',
  // The spec names no port: 3000, as its authors' code (DESIGN.md Sup).
  defaultPort: 3000,
  optionsSchema: SUP_OPTIONS_SCHEMA,
  defaultOptions: SUP_DEFAULT_OPTIONS,
  createFramer: (limits) => new SupFramer(limits.lineMax),
  createSession: (ctx) => new SupSession(ctx),
  describe: (msg) => msg,
  // Over WebSocket one Sup message per WebSocket message, EOT implied (DESIGN.md "Transports and the browser").
  messages: { ends: ['\x04'], maxMessage: (limits) => limits.lineMax },
  // DESIGN.md "Interop bench": the commonest Sup bug, a message ended by a line break instead of EOT.
  // No `incomplete` on the session: a Sup client gets nothing it did not ask for (DESIGN.md "Security").
  pendingHint: (received, ms) => {
    const p = delimitedPending(received, ms, { terminators: [EOT], ignore: [0x0d, 0x0a], missing: 'no EOT (\\x04)' });
    return p && p.bytes.at(-1) === 0x0a ? { ...p, hint: `${p.hint} (a line break does not end a Sup message)` } : p;
  },
});

export { SupFramer, trimBreaks, EOT } from './framer.js';
export { parseCommand, type SupCommand } from './commands.js';
export { encodeStatus, encodeContacts, encodeRecv, encodeMessage } from './encoder.js';
export { STATUS_TEXT, STATUS_FOR_ERROR, type StatusCode } from './replies.js';
export { SupSession } from './session.js';
export { SUP_OPTIONS_SCHEMA, SUP_DEFAULT_OPTIONS, type SupOptions } from './options.js';

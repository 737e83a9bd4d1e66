import { defineDialect } from '@chat-gateway/core';
import { PackageFramer, type Inbound } from './framer.js';
import { CHATMASTER_DEFAULT_OPTIONS, CHATMASTER_OPTIONS_SCHEMA, type ChatMasterOptions } from './options.js';
import { chatmasterPending } from './pending.js';
import { ChatMasterSession } from './session.js';

/** The ChatMaster 3000 dialect (specs/chatmaster3000.md, DESIGN.md ChatMaster): JSON packages on port 9000. */
export const dialect = defineDialect<Inbound, ChatMasterOptions>({
  name: 'chatmaster',
  defaultPort: 9000,
  optionsSchema: CHATMASTER_OPTIONS_SCHEMA,
  defaultOptions: CHATMASTER_DEFAULT_OPTIONS,
  createFramer: (limits) => new PackageFramer(limits),
  createSession: (ctx) => new ChatMasterSession(ctx),
  describe: (frame) => (frame.compression === 'none' ? '' : `[${frame.compression}] `) + JSON.stringify(frame.value),
  // Over WebSocket one package per message (DESIGN.md "Transports and the browser"): JSON in text messages,
  // a compressed package in a binary one. Each write is one package, and a compressed one may hold `\n` bytes.
  // The `\n` appended to each inbound message is the stream proof that lifts pacing: a WebSocket client reads
  // one message at a time, so two packages never share a read.
  messages: { ends: ['\n'], wholeWrites: true, maxMessage: (limits) => limits.packageMax },
  // DESIGN.md "Interop bench": a package begun and not ended.
  pendingHint: chatmasterPending,
});

export { PackageFramer, CLOSING, type Inbound } from './framer.js';
export { JsonScanner } from './splitter.js';
export { chatmasterPending } from './pending.js';
export { CompressedPackage, adler32, type Compression } from './compression.js';
export { encode, type ServerPackage } from './encoder.js';
export { check, COMMAND_NAMES, type ClientPackage } from './validate.js';
export { ERROR_REPLIES } from './replies.js';
export { ChatMasterSession } from './session.js';
export type { ChatMasterOptions } from './options.js';

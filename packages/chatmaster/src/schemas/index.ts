import type { Options } from 'ajv';
import envelope from './envelope.json' with { type: 'json' };
import message from './message.json' with { type: 'json' };
import command from './command.json' with { type: 'json' };
import login from './login.json' with { type: 'json' };
import rename from './rename.json' with { type: 'json' };
import join from './join.json' with { type: 'json' };
import leave from './leave.json' with { type: 'json' };
import privateSchema from './private.json' with { type: 'json' };
import publicSchema from './public.json' with { type: 'json' };
import channels from './channels.json' with { type: 'json' };
import users from './users.json' with { type: 'json' };

/**
 * The package schemas (specs/chatmaster3000.md "Packages"), by the name of
 * the validator compiled from each. They are compiled ahead of time into
 * validators.generated.ts (`npm run gen:validators`), so the gateway does not
 * load ajv's compiler or spend memory on it at start (issue #16).
 */
export const CHATMASTER_SCHEMAS = {
  validateEnvelope: envelope,
  validateMessage: message,
  validateCommand: command,
  validateLogin: login,
  validateRename: rename,
  validateJoin: join,
  validateLeave: leave,
  validatePrivate: privateSchema,
  validatePublic: publicSchema,
  validateChannels: channels,
  // `channel_list` is an alias of `channels` (DESIGN.md): the same schema under its own id.
  validateChannelList: { ...channels, $id: 'chatmaster/channel_list' },
  // Extension (README "What a client may send"): everyone online with their dialect, for the browser chat page.
  validateUsers: users,
} as const satisfies Readonly<Record<string, object>>;

/** The ajv options the schemas are compiled with: stop at the first error (one `error` package says one thing). */
export const CHATMASTER_AJV_OPTIONS: Readonly<Options> = { allErrors: false, allowUnionTypes: true };

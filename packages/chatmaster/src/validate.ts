import type { ErrorObject, ValidateFunction } from 'ajv';
import * as generated from './schemas/validators.generated.js';
import type { CHATMASTER_SCHEMAS } from './schemas/index.js';

/** An inbound package that passed its schema, reduced to what the session acts on. */
export type ClientPackage =
  | { kind: 'message'; text: string; to?: string }
  | { kind: 'login'; username: string }
  | { kind: 'rename'; username: string }
  | { kind: 'join'; channel: string }
  | { kind: 'leave' | 'private' | 'public' | 'channels' | 'users' };

export type CommandName = Exclude<ClientPackage['kind'], 'message'>;

/** The result of checking one package: what it is, or what to put in the `error` package. */
export type Checked =
  /** `name` is the command as the client spelled it (`channel_list` stays so), or `message`: the error_type of any reply. */
  | { ok: true; pkg: ClientPackage; name: string }
  | { ok: false; errorType: string; code: 'BAD_ARGUMENTS' | 'UNKNOWN_COMMAND'; detail: string };

// Compiled ahead of time from schemas/index.ts (tools/validators.ts), one per package type and command;
// the generated module is not type-checked, so its exports are given ajv's type here, once.
const v = generated as unknown as Readonly<Record<keyof typeof CHATMASTER_SCHEMAS, ValidateFunction>>;
const { validateEnvelope: envelope, validateMessage: message, validateCommand: command } = v;

/** Command name on the wire → what it is and its parameters' validator. `channel_list` is an alias (DESIGN.md). */
const COMMANDS: Readonly<Record<string, { kind: CommandName; params: ValidateFunction }>> = Object.freeze({
  login: { kind: 'login', params: v.validateLogin },
  rename: { kind: 'rename', params: v.validateRename },
  join: { kind: 'join', params: v.validateJoin },
  leave: { kind: 'leave', params: v.validateLeave },
  private: { kind: 'private', params: v.validatePrivate },
  public: { kind: 'public', params: v.validatePublic },
  channels: { kind: 'channels', params: v.validateChannels },
  channel_list: { kind: 'channels', params: v.validateChannelList },
  // Extension (README "What a client may send"): everyone online with their dialect, for the browser chat page.
  users: { kind: 'users', params: v.validateUsers },
});

/** Every command name the gateway accepts. */
export const COMMAND_NAMES: readonly string[] = Object.freeze(Object.keys(COMMANDS));

// A client's own word is echoed as error_type only when it is a plain short name.
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,31}$/;

/**
 * Checks a parsed package against the schemas (specs/chatmaster3000.md
 * "Packages", DESIGN.md ChatMaster). Never throws; key order is irrelevant;
 * `parameters` may be absent or null for a command that takes none. The
 * error names the command (or "parse" when there is none) and the first
 * thing wrong, as a path and what belongs there.
 */
export function check(value: unknown): Checked {
  if (!envelope(value)) return bad(guessType(value), 'BAD_ARGUMENTS', explain(envelope.errors, 'package'));
  const pkg = value as { type: 'message' | 'command'; data: Record<string, unknown> };
  if (pkg.type === 'message') {
    if (!message(pkg.data)) return bad('message', 'BAD_ARGUMENTS', explain(message.errors, 'data'));
    const to = pkg.data.to;
    const text = pkg.data.message as string;
    return { ok: true, name: 'message', pkg: typeof to === 'string' ? { kind: 'message', text, to } : { kind: 'message', text } };
  }
  if (!command(pkg.data)) return bad(guessType(value), 'BAD_ARGUMENTS', explain(command.errors, 'data'));
  const name = pkg.data.command as string;
  const spec = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!spec) return bad(PLAIN_NAME.test(name) ? name : 'parse', 'UNKNOWN_COMMAND', `unknown command ${JSON.stringify(name.slice(0, 32))}; commands are ${COMMAND_NAMES.join(', ')}`);
  const params = pkg.data.parameters ?? null;
  if (!spec.params(params)) return bad(name, 'BAD_ARGUMENTS', explain(spec.params.errors, 'data.parameters'));
  switch (spec.kind) {
    case 'login':
    case 'rename':
      return { ok: true, name, pkg: { kind: spec.kind, username: (params as { username: string }).username } };
    case 'join':
      return { ok: true, name, pkg: { kind: 'join', channel: (params as { channel: string }).channel } };
    default:
      return { ok: true, name, pkg: { kind: spec.kind } };
  }
}

function bad(errorType: string, code: 'BAD_ARGUMENTS' | 'UNKNOWN_COMMAND', detail: string): Checked {
  return { ok: false, errorType, code, detail };
}

/** The error_type for a package that failed early: its command when it names one, else its type, else "parse". */
function guessType(value: unknown): string {
  if (typeof value !== 'object' || value === null) return 'parse';
  const v = value as { type?: unknown; data?: { command?: unknown } };
  if (v.type === 'message') return 'message';
  const cmd = typeof v.data === 'object' && v.data !== null ? v.data.command : undefined;
  if (v.type === 'command' && typeof cmd === 'string' && PLAIN_NAME.test(cmd)) return cmd;
  return 'parse';
}

/** The first ajv error as `<path> <what is wrong>`, e.g. `data.parameters must have required property 'username'`. */
export function explain(errors: readonly ErrorObject[] | null | undefined, base: string): string {
  const e = errors?.[0];
  if (!e) return `${base} is not valid`;
  const path = base + e.instancePath.replace(/\//g, '.');
  if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(' or ');
    return `${path} must be ${allowed}`;
  }
  if (e.keyword === 'type' && path === 'package') return 'package must be a JSON object {type, data}';
  return `${path} ${e.message ?? 'is not valid'}`;
}

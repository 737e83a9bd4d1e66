import type { ErrorCode } from '@chat-gateway/core';

/**
 * Every error reply of the IRC dialect, in one table (packages/irc/README.md
 * is the cheat sheet). Numerics and texts are RFC 2812 5 and the "Modern
 * IRC" client documentation's; `ERROR` lines close the link (RFC 2812 3.7.4).
 */

/** What an error reply may name: the command it answers, the nick/channel/text it is about, a detail. */
export interface ErrorArgs {
  /** The command being answered (`PRIVMSG`, `MODE`...): it picks between numerics of one code. */
  command?: string;
  /** The nick, `#channel` or word the error is about, already made safe as a parameter (encoder param()). */
  subject?: string;
  /** A text for the trailing parameter in place of the standard one. */
  detail?: string;
  /** A NOTICE's failure: counted, never answered (RFC 2812 3.3.2: "automatic replies MUST NEVER be sent in response to a NOTICE"). */
  quiet?: boolean;
}

/** A numeric reply (`:<server> <code> <client> <params...> :<text>`), an `ERROR` that closes the link, or nothing. */
export type ErrorReply = { numeric: string; params: string[]; text: string } | { error: string } | undefined;

const n = (numeric: string, params: string[], text: string): ErrorReply => ({ numeric, params, text });
const about = (a: ErrorArgs): string[] => [a.subject ?? '*'];
const closing = (why: string): ErrorReply => ({ error: `Closing link (${why})` });
const MESSAGES = new Set(['PRIVMSG', 'NOTICE']);

/** THE table: every canonical ErrorCode (core errors.ts) as the reply it becomes. */
export const ERROR_REPLIES: Readonly<Record<ErrorCode, (a: ErrorArgs) => ErrorReply>> = Object.freeze({
  NICK_TAKEN: (a) => n('433', about(a), 'Nickname is already in use'),
  NICK_INVALID: (a) => n('432', about(a), a.detail ?? 'Erroneous nickname'),
  // A NICK to the nick one has is ignored, as IRC servers do.
  NICK_UNCHANGED: () => undefined,
  NOT_REGISTERED: () => n('451', [], 'You have not registered'),
  ALREADY_REGISTERED: () => n('462', [], 'You may not reregister'),
  NO_SUCH_USER: (a) => (a.command === 'WHOWAS' ? n('406', about(a), 'There was no such nickname') : n('401', about(a), 'No such nick/channel')),
  NO_SUCH_ROOM: (a) => n('403', about(a), 'No such channel'),
  NOT_IN_ROOM: (a) => (a.command && MESSAGES.has(a.command) ? n('404', about(a), 'Cannot send to channel') : n('442', about(a), "You're not on that channel")),
  ROOM_INVALID: (a) => n('403', about(a), 'No such channel (a channel is # and 1-32 of A-Z a-z 0-9 _ - .)'),
  TEXT_INVALID: () => n('412', [], 'No text to send'),
  // Modern IRC: RPL_TRYAGAIN, "the server dropped the command without processing it".
  RATE_LIMITED: (a) => n('263', [a.command ?? '*'], 'Please wait a while and try again.'),
  INTERNAL: (a) => n('400', [a.command ?? '*'], a.detail ?? 'Internal error, please try again'),
  FRAME_TOO_LARGE: () => n('417', [], 'Input line was too long'),
  BAD_FRAME: () => n('400', ['*'], 'Could not read that line'),
  UNKNOWN_COMMAND: (a) => n('421', about(a), 'Unknown command'),
  BAD_ARGUMENTS: (a) => {
    switch (a.command) {
      case 'NICK':
      case 'WHOIS':
      case 'WHOWAS':
        return n('431', [], 'No nickname given');
      case 'PRIVMSG':
      case 'NOTICE':
        return n('411', [], `No recipient given (${a.command})`);
      case 'CAP':
        // A subcommand that is not one (IRCv3 capability negotiation); none at all is the usual 461.
        if (a.subject) return n('410', about(a), 'Invalid CAP command');
        return n('461', ['CAP'], 'Not enough parameters');
      default:
        return n('461', [a.command ?? '*'], 'Not enough parameters');
    }
  },
  // A channel's modes and topic (482), another user's modes (502).
  FORBIDDEN: (a) => (a.subject?.startsWith('#') ? n('482', about(a), a.detail ?? "You're not channel operator") : n('502', [], "Can't change mode for other users")),
  REGISTRATION_TIMEOUT: () => closing('Registration timed out'),
  PING_TIMEOUT: () => closing('ping timeout'),
  TOO_MANY_CONNECTIONS: () => closing('Too many connections'),
  SEND_QUEUE_FULL: () => closing('SendQ exceeded'),
  SHUTTING_DOWN: () => closing('server shutting down'),
});

/** The reply for a canonical error. */
export function errorReply(code: ErrorCode, args: ErrorArgs = {}): ErrorReply {
  return ERROR_REPLIES[code](args);
}

/** A client message, parsed (specs/sup.txt). */
export type SupCommand =
  | { kind: 'login'; user: string }
  | { kind: 'contacts' }
  | { kind: 'contact'; user: string }
  | { kind: 'send'; to: string; text: string }
  | { kind: 'quit'; user: string }
  | { kind: 'malformed'; reason: string };

/**
 * Parses one message (already without its EOT and outer CR/LF). The keyword
 * ends at the first space and is matched case-insensitively (the spec writes
 * it in lowercase; accepting `LOGIN` costs nothing). An argument is the rest
 * of the message exactly as sent: `login alice ` asks for the name
 * `alice ` (which the Hub refuses: 102). For `send` the recipient ends at the
 * second space and the text is everything after it, line breaks included.
 * A missing or empty argument is malformed.
 */
export function parseCommand(msg: string): SupCommand {
  const sp = msg.indexOf(' ');
  const keyword = (sp < 0 ? msg : msg.slice(0, sp)).toLowerCase();
  const rest = sp < 0 ? '' : msg.slice(sp + 1);
  switch (keyword) {
    case 'login':
      return rest ? { kind: 'login', user: rest } : malformed('login needs a username');
    case 'get':
      return rest.toLowerCase() === 'contacts' ? { kind: 'contacts' } : malformed('get what? only `get contacts` exists');
    case 'contact':
      return rest ? { kind: 'contact', user: rest } : malformed('contact needs a username');
    case 'send': {
      const sp2 = rest.indexOf(' ');
      if (sp2 <= 0) return malformed('send needs a recipient and a text');
      return { kind: 'send', to: rest.slice(0, sp2), text: rest.slice(sp2 + 1) };
    }
    case 'quit':
      return rest ? { kind: 'quit', user: rest } : malformed('quit needs your username');
    default:
      return malformed('unknown command');
  }
}

function malformed(reason: string): SupCommand {
  return { kind: 'malformed', reason };
}

import { LINE_INJECTION, type DialectTesting, type Peer } from '@chat-gateway/core/testing';
import { ctcp, dialect, hostmask, IRC_DEFAULT_OPTIONS } from '@chat-gateway/irc';
import { IrcDriver, numeric } from './driver.js';
import { probe } from './probe.js';

const { network, serverName } = IRC_DEFAULT_OPTIONS;
/** A peer as an IRC client sees it: `nick!nick@<dialect>.<network>` (DESIGN.md IRC). */
const mask = (p: Peer): string => hostmask(p.nick, p.dialect, network);

/** Lines up to and including the one with the numeric that ends a multi-line reply. */
async function upTo(d: { next(): Promise<{ raw: string }> }, end: string): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const { raw } = await d.next();
    out.push(raw);
    if (numeric(raw) === end) return out;
  }
}

/** The trailing parameters of the lines with this numeric, split on spaces. */
const trailingWords = (lines: readonly string[], code: string): string[] =>
  lines.filter((l) => numeric(l) === code).flatMap((l) => l.slice(l.indexOf(' :') + 2).split(' ').filter(Boolean));

/**
 * IRC in the cross-dialect suites: every peer as a hostmask showing its
 * dialect; presence only through channels shared (JOIN, PART, one QUIT,
 * NICK); channels are the Hub's rooms, several at a time, `+s` private.
 */
// The reason core gives each way of going (SessionBase quit, a dropped connection, a reaped node).
const QUIT_REASONS = { quit: 'Quit', close: 'Connection closed', lost: 'Node lost' } as const;

export const testing: DialectTesting = {
  dialect: dialect.name,
  open: (port, host) => IrcDriver.open(port, host),
  attach: (wire) => new IrcDriver(wire),
  probe,
  contract: {
    dm: (from, to, text) => `:${mask(from)} PRIVMSG ${to} :${text}`,
    dmOk: '',
    // The numeric is addressed to the sender, whose nick the row does not name.
    // 433 to a client not yet registered: its nick is `*` (RFC 2812 5.1).
    nickTaken: (nick) => `:${serverName} 433 * ${nick} :Nickname is already in use`,
    dmOffline: (to) => new RegExp(`^:${serverName} 401 \\S+ ${to} :No such nick/channel$`),
    receipts: false,
    renames: true,
    online: () => undefined,
    // Quitting is `Quit` on every dialect (the IRC driver quits without a reason); a dropped link is `Connection closed`.
    offline: (peer, shared, how) => (shared.length > 0 ? [`:${mask(peer)} QUIT :${QUIT_REASONS[how]}`] : []),
    renamed: (from, to, shared) => (shared ? `:${mask(from)} NICK ${to}` : undefined),
    users: {
      scope: 'room',
      async ask(d, room) {
        d.wire.write(`NAMES #${room}\r\n`);
        return upTo(d, '366');
      },
      // 353 lines are addressed to the asker: compared as the set of names they hold.
      names: (lines) => trailingWords(lines, '353'),
    },
    shutdown: () => 'ERROR :Closing link (server shutting down)',
    rooms: {
      single: false,
      setsVisibility: true,
      message: (from, room, text) => `:${mask(from)} PRIVMSG #${room} :${text}`,
      joined: (peer, v) => `:${mask(peer)} JOIN #${v.room}`,
      left: (peer, v) => `:${mask(peer)} PART #${v.room}`,
      visibility: (room, isPrivate) => `:${serverName} MODE #${room} ${isPrivate ? '+s' : '-s'}`,
      list: {
        async ask(d) {
          d.wire.write('LIST\r\n');
          return upTo(d, '323');
        },
        names: (lines) => lines.filter((l) => numeric(l) === '322').map((l) => l.split(' ')[3]!.slice(1)),
      },
    },
  },
  // A line dialect: CR and LF end a message; a text with line breaks arrives one PRIVMSG per line.
  // Texts longer than a line would arrive split (encoder fit()); the injection texts are far shorter.
  injection: { ...LINE_INJECTION, canonical: (b) => ctcp(b.toString('utf8')) },
};

import { safeLines, type NamePolicy } from '@chat-gateway/core';
import type { IrcOptions } from './options.js';

/** What the server calls itself in `002`-`004` (RFC 2812 5.1 RPL_YOURHOST "running version <ver>"). */
export const VERSION = 'chat-gateway-irc';
// RPL_CREATED: when this process started serving.
const CREATED = new Date().toUTCString();

/** A numeric as [code, params, trailing text]; the session adds the source and the client's nick. */
export type Numeric = readonly [code: string, params: readonly string[], text?: string];

/**
 * The registration burst (RFC 2812 5.1, "Modern IRC" connection
 * registration): `001`-`004`, one `005` with what clients must know before
 * they send anything (DESIGN.md IRC: CHANTYPES=#, NICKLEN, CHANNELLEN,
 * CASEMAPPING=ascii, NETWORK), then the MOTD or `422`.
 */
export function welcome(nick: string, mask: string, o: IrcOptions, policy: NamePolicy): Numeric[] {
  // No channel has an operator, so no PREFIX symbols; n, s and t are the only channel modes (README "Modes").
  const isupport = ['CASEMAPPING=ascii', 'CHANMODES=,,,nst', `CHANNELLEN=${policy.roomMax + 1}`, 'CHANTYPES=#', `NETWORK=${o.network}`, `NICKLEN=${policy.nickMax}`, 'PREFIX=()'];
  return [
    ['001', [], `Welcome to the ${o.network} IRC network, ${mask}`],
    ['002', [], `Your host is ${o.serverName}, running version ${VERSION}`],
    ['003', [], `This server was created ${CREATED}`],
    ['004', [o.serverName, VERSION, 'i', 'nst']],
    ['005', isupport, 'are supported by this server'],
    ...motd(o),
  ];
}

/** RFC 2812 3.4.1 MOTD: `375`, one `372` per line, `376`; or `422` when there is none. */
export function motd(o: IrcOptions): Numeric[] {
  // Config lines are checked by the options schema; safeLines still keeps each one a single line.
  const lines = o.motd.flatMap((l) => (l.trim() === '' ? [''] : safeLines(l)));
  if (lines.length === 0) return [['422', [], 'MOTD File is missing']];
  return [['375', [], `- ${o.serverName} Message of the day - `], ...lines.map((l): Numeric => ['372', [], `- ${l}`]), ['376', [], 'End of /MOTD command.']];
}

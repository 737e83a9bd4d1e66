/**
 * What `chat-gateway probe <dialect>` needs of a dialect beyond its driver and
 * contract (DESIGN.md "Interop bench": a probe that checks a server, a
 * student's own, against the dialect's spec and DESIGN.md). Each dialect's
 * testing module gives it as data: the probe's checks are written once.
 */

/** A frame the probe expects: exact where the spec or DESIGN.md fixes it, a pattern where the words are the server's own. */
export type ProbeExpect = string | RegExp;

/** A request with a known reply. */
export interface ProbeRequest {
  /** What the report calls the check. */
  readonly name: string;
  /** Sent once registered as `me`; else on a fresh connection, before registering. */
  readonly registered: boolean;
  /** The request's bytes, terminator included. */
  send(me: string): string;
  /** The one frame that answers it (terminator excluded). */
  reply(me: string): ProbeExpect;
}

/** One dialect's probe data (its testing module's `probe`). */
export interface DialectProbe {
  /** What ends each frame the server sends, shown after expected frames in the report (`\r\n`, `\x04`, `\n`). */
  readonly terminator: string;
  /** The first frame on a fresh connection; `none`: nothing (the first thing read answers the client); `optional`: one line or none. */
  readonly greeting: ProbeExpect | 'none' | 'optional';
  /** The reply that accepts a registration. */
  welcome(nick: string): ProbeExpect;
  /** The reply to registering a nick someone holds. */
  taken(nick: string): ProbeExpect;
  /** A nick the dialect cannot carry or the policy refuses, and its reply. */
  readonly invalid: { readonly nick: string; reply(nick: string): ProbeExpect };
  /** The dialect's error replies and other fixed exchanges (DESIGN.md's per-dialect section). */
  readonly requests: readonly ProbeRequest[];
  /** A request answered by one known frame once registered: sent in pieces, and twice in one write. */
  readonly echo: ProbeRequest;
  /** A frame of `size` bytes (over the server's limit: `limits.lineMax`, 512 for IRC, `packageMax`) and its reply; the connection must stay. */
  readonly oversize: { readonly size: number; build(size: number): string; reply: ProbeExpect };
  /** Where the spec leaves a contract row's words free (the gateway's own words are in its contract), the pattern a server's frame must match instead. */
  readonly loose?: {
    /** The reply to a DM to a nick nobody holds. */
    dmOffline?(to: string): ProbeExpect;
    /** Each frame the first probe user gets when `nick` quits (IRC: a QUIT whose reason is the server's). */
    offline?(nick: string): ProbeExpect;
  };
  /** Frame equality where it is not byte equality (ChatMaster: JSON, whatever the key order). */
  same?(expected: string, received: string): boolean;
}

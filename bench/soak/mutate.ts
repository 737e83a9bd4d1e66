import zlib from 'node:zlib';

/** A small seeded PRNG (mulberry32): the same seed gives the same attack, so a failure can be replayed. */
export class Rng {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

const b = (s: string): Buffer => Buffer.from(s, 'utf8');
const json = (v: unknown): Buffer => b(`${JSON.stringify(v)}\n`);
const cmd = (command: string, parameters?: unknown) => ({ type: 'command', data: parameters === undefined ? { command } : { command, parameters } });

/**
 * A valid session per dialect, as its real clients send it (each frame with
 * its terminator): registration first, then the commands that reach the Hub.
 * `me` and `peer` are nicks of the fuzzing connection and of another one.
 */
export const CORPUS: Readonly<Record<string, (me: string, peer: string) => Buffer[]>> = {
  ws2017: (me, peer) => [
    b(`uname ${me}\r\n`), b('cgetu\r\n'), b(`chatm ${me} ${peer} 'hello there'\r\n`), b(`chatm ${me} ${peer} "quoted ’text’"\r\n`),
    b(`chatr ${peer} ${me}\r\n`), b('ping\r\n'), b('cpong\r\n'), b(`cname ${me}x\r\n`), b(`uname ${me}y\r\n`), b('cquit\r\n'),
  ],
  psu: (me, peer) => [
    b(`:NICK ${me}\r\n`), b(':JOIN #fuzz\r\n'), b(':PRIVMSG #fuzz :hello room\r\n'), b(`:PRIVMSG ${peer},#fuzz hi both\r\n`), b(':NAMES #fuzz\r\n'),
    b(':LIST\r\n'), b(`NICK ${me}z\r\n`), b(':PART #fuzz\r\n'), b(':JOIN general\r\n'), b(':QUIT\r\n'),
  ],
  sup: (me, peer) => [
    b(`login ${me}\x04`), b('get contacts\x04'), b(`contact ${peer}\x04`), b(`send ${peer} hello\nsecond line\x04`), b(`send ${me} to myself\x04`),
    b('\r\n\x04'), b(`quit ${me}\x04`),
  ],
  chatmaster: (me, peer) => [
    json(cmd('login', { username: me })), json({ type: 'message', data: { message: 'hello general' } }), json({ type: 'message', data: { message: 'dm', to: peer } }),
    json(cmd('join', { channel: 'fuzz' })), json(cmd('private')), json(cmd('channels')), json(cmd('public')), json(cmd('users')),
    json(cmd('rename', { username: `${me}r` })), json(cmd('leave')), json(cmd('channel_list')),
    Buffer.concat([zlib.deflateSync(JSON.stringify({ type: 'message', data: { message: 'zipped' } })), b('\n')]),
    zlib.gzipSync(JSON.stringify(cmd('channels'))),
  ],
  irc: (me, peer) => [
    b('CAP LS 302\r\n'), b(`NICK ${me}\r\n`), b(`USER ${me} 0 * :Fuzz Er\r\n`), b('CAP END\r\n'), b('JOIN #fuzz,#general\r\n'),
    b('PRIVMSG #fuzz :hello\r\n'), b(`PRIVMSG ${peer} :\x01ACTION waves\x01\r\n`), b(`NOTICE ${peer} :psst\r\n`), b('NAMES #fuzz\r\n'), b('LIST\r\n'),
    b('WHO #fuzz\r\n'), b(`WHOIS ${peer}\r\n`), b('MODE #fuzz +s\r\n'), b('TOPIC #fuzz\r\n'), b('PING :x\r\n'), b('AWAY :gone\r\n'),
    b('@tag=1 PRIVMSG #fuzz :tagged\r\n'), b('PART #fuzz :bye\r\n'), b('QUIT :done\r\n'),
  ],
};

const BAD_UTF8 = [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xc0, 0xaf], [0xfe, 0xfe]];
const CONTROLS = [0x00, 0x01, 0x04, 0x07, 0x08, 0x0a, 0x0d, 0x1b, 0x7f, 0x85];

/** The mutation kinds, named in the report. */
export const MUTATIONS = ['bitflip', 'truncate', 'splice', 'oversize', 'utf8', 'control', 'repeat', 'deflate', 'nest'] as const;
export type Mutation = (typeof MUTATIONS)[number];

/** One mutated frame made from `frame` (and, for a splice, another frame of the same corpus). */
export function mutate(rng: Rng, frame: Buffer, corpus: readonly Buffer[], kind: Mutation, sizeMax: number): Buffer {
  switch (kind) {
    case 'bitflip': {
      const out = Buffer.from(frame);
      for (let n = 1 + rng.int(4); n > 0; n--) out[rng.int(out.length)]! ^= 1 << rng.int(8);
      return out;
    }
    case 'truncate':
      return frame.subarray(0, rng.int(frame.length));
    case 'splice': {
      const other = rng.pick(corpus);
      return Buffer.concat([frame.subarray(0, rng.int(frame.length + 1)), other.subarray(rng.int(other.length))]);
    }
    case 'oversize': {
      // Just over the frame limit, or far over it: a line with no end, a package that never closes.
      const len = rng.chance(0.5) ? sizeMax + 1 + rng.int(64) : sizeMax * (2 + rng.int(3));
      const fill = Buffer.alloc(len, frame.subarray(0, Math.max(1, frame.length - 1)).toString('latin1'), 'latin1');
      return rng.chance(0.5) ? Buffer.concat([fill, frame.subarray(frame.length - 1)]) : fill;
    }
    case 'utf8':
      return insert(rng, frame, Buffer.from(rng.pick(BAD_UTF8)));
    case 'control':
      return insert(rng, frame, Buffer.from([rng.pick(CONTROLS)]));
    case 'repeat':
      return Buffer.concat(Array.from({ length: 2 + rng.int(30) }, () => frame));
    case 'deflate': {
      // A compressed envelope of the (possibly broken) frame, sometimes itself damaged.
      const z = rng.chance(0.5) ? zlib.deflateSync(frame) : zlib.gzipSync(frame);
      if (rng.chance(0.5)) z[rng.int(z.length)]! ^= 1 << rng.int(8);
      return rng.chance(0.5) ? z.subarray(0, rng.int(z.length)) : z;
    }
    case 'nest': {
      const depth = 10 + rng.int(60);
      return b(`${'['.repeat(depth)}${frame.toString('latin1').trim()}${']'.repeat(rng.int(depth + 1))}\n`);
    }
  }
}

function insert(rng: Rng, frame: Buffer, bytes: Buffer): Buffer {
  const at = rng.int(frame.length + 1);
  return Buffer.concat([frame.subarray(0, at), bytes, frame.subarray(at)]);
}

/** Cuts a byte stream into writes of random sizes: whole, byte by byte, or anything between (past 4 KiB at most 16 KiB at a time). */
export function segments(rng: Rng, stream: Buffer): Buffer[] {
  const out: Buffer[] = [];
  const style = rng.int(4);
  for (let at = 0; at < stream.length; ) {
    // Dribbling a 64 KiB oversize package byte by byte would cost the attacker, not the gateway: only its head is dribbled.
    const small = at < 4096;
    const n = style === 0 ? stream.length : style === 1 && small ? 1 + rng.int(3) : style === 2 && small ? 1 + rng.int(64) : 1 + rng.int(16384);
    out.push(stream.subarray(at, at + n));
    at += n;
  }
  return out;
}

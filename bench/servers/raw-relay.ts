import net from 'node:net';
import { pathToFileURL } from 'node:url';

/**
 * The Node ceiling: a minimal line relay with no other processing. It speaks
 * just enough IRC for the bench's IRC client: `NICK n` (answered `001`),
 * `JOIN #r` (answered `366`), `PING` (answered `PONG`), and
 * `PRIVMSG <target> <text>`, whose line goes out unchanged to the target nick
 * or to every other member of the target room. No validation, no prefixes, no
 * limits. Output to each socket is batched per event-loop turn, as the
 * gateway batches, and TCP_NODELAY is on, so the comparison is like for like.
 */

interface Conn {
  socket: net.Socket;
  nick: string;
  rest: string;
  out: string;
}

export interface RelayServer {
  port: number;
  close(): Promise<void>;
}

/** Starts the relay on host:port (0 picks a free port). */
export async function startRelay(port = 0, host = '127.0.0.1'): Promise<RelayServer> {
  const nicks = new Map<string, Conn>();
  const rooms = new Map<string, Conn[]>();
  const all = new Set<Conn>();
  let dirty: Conn[] = [];
  let flushScheduled = false;

  const flush = (): void => {
    flushScheduled = false;
    const list = dirty;
    dirty = [];
    for (const c of list) {
      const out = c.out;
      c.out = '';
      if (out.length > 0 && !c.socket.destroyed) c.socket.write(out, 'latin1');
    }
  };
  const send = (c: Conn, line: string): void => {
    if (c.out.length === 0) {
      dirty.push(c);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
    }
    c.out += line;
  };

  const onLine = (c: Conn, line: string): void => {
    if (line.startsWith('PRIVMSG ')) {
      const sp = line.indexOf(' ', 8);
      if (sp < 0) return;
      const target = line.slice(8, sp);
      const out = `${line}\r\n`;
      if (target.charCodeAt(0) === 0x23) {
        const members = rooms.get(target);
        if (members) for (const m of members) if (m !== c) send(m, out);
      } else {
        const to = nicks.get(target);
        if (to) send(to, out);
      }
    } else if (line.startsWith('NICK ')) {
      c.nick = line.slice(5).trim();
      nicks.set(c.nick, c);
      send(c, `:relay 001 ${c.nick} :welcome\r\n`);
    } else if (line.startsWith('JOIN ')) {
      const room = line.slice(5).trim();
      let members = rooms.get(room);
      if (!members) rooms.set(room, (members = []));
      members.push(c);
      send(c, `:relay 366 ${c.nick} ${room} :End of NAMES\r\n`);
    } else if (line.startsWith('PING')) {
      send(c, `PONG${line.slice(4)}\r\n`);
    }
  };

  const server = net.createServer({ noDelay: true }, (socket) => {
    const c: Conn = { socket, nick: '', rest: '', out: '' };
    all.add(c);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      let s = chunk.toString('latin1');
      if (c.rest.length > 0) {
        s = c.rest + s;
        c.rest = '';
      }
      let start = 0;
      for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', start)) {
        const end = i > start && s.charCodeAt(i - 1) === 0x0d ? i - 1 : i;
        if (end > start) onLine(c, s.slice(start, end));
        start = i + 1;
      }
      if (start < s.length) c.rest = s.slice(start);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      all.delete(c);
      if (nicks.get(c.nick) === c) nicks.delete(c.nick);
      for (const [name, members] of rooms) {
        const i = members.indexOf(c);
        if (i >= 0) members.splice(i, 1);
        if (members.length === 0) rooms.delete(name);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const c of all) c.socket.destroy();
      }),
  };
}

// Run as a child process (`node --import tsx bench/servers/raw-relay.ts [port]`): prints `{"port":N}`.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const relay = await startRelay(Number(process.argv[2] ?? 0));
  process.stdout.write(`${JSON.stringify({ port: relay.port })}\n`);
  process.on('SIGTERM', () => void relay.close().then(() => process.exit(0)));
}

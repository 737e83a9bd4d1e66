import { RawConn, pause } from '../attack.js';
import { SoakGateway } from '../gateway.js';
import { check, ms, type PartContext, type PartResult } from '../types.js';

// Senders whose dialect acknowledges a DM, and the line that does; receivers of every dialect.
const ACK: Readonly<Record<string, { dm: (me: string, to: string, text: string) => string; ok: string; fail: RegExp; end: string }>> = {
  ws2017: { dm: (me, to, t) => `chatm ${me} ${to} '${t}'\r\n`, ok: "+OK 'message relayed'", fail: /^-ERR/, end: '\n' },
  sup: { dm: (_me, to, t) => `send ${to} ${t}\x04`, ok: 'status 000 OK', fail: /^status [12]/, end: '\x04' },
};
const RECEIVERS = ['psu', 'chatmaster', 'irc', 'ws2017', 'sup'];
const STAMP = /~(\d+)\.(\d+)~/g;
// Below flood control's 20 a second, so that every DM is answered and acks match DMs one to one.
const PER_SECOND = 15;

interface Sender {
  conn: RawConn;
  acked: number[];
}

/** (f) SIGTERM under load: every DM the gateway acknowledged before it went down was delivered. */
export async function sigtermPart(ctx: PartContext): Promise<PartResult> {
  const gw = await SoakGateway.start(ctx.root);
  const n = ctx.sizes.sigtermSenders;
  const delivered = new Set<string>();
  const receivers: RawConn[] = [];
  const senders: Sender[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const rd = RECEIVERS[i % RECEIVERS.length]!;
      const r = await RawConn.login(rd, gw.ports[rd]!, `rcv${i}`);
      r.socket.on('data', (chunk: Buffer) => {
        for (const m of chunk.toString('latin1').matchAll(STAMP)) delivered.add(`${m[1]}.${m[2]}`);
      });
      receivers.push(r);
      const sd = i % 2 === 0 ? 'ws2017' : 'sup';
      senders.push({ conn: await RawConn.login(sd, gw.ports[sd]!, `snd${i}`), acked: [] });
    }
    let sent = 0;
    senders.forEach((s, i) => {
      const a = ACK[i % 2 === 0 ? 'ws2017' : 'sup']!;
      const seqs: number[] = [];
      let buf = '';
      s.conn.socket.on('data', (chunk: Buffer) => {
        buf += chunk.toString('latin1');
        for (let at = buf.indexOf(a.end); at >= 0; at = buf.indexOf(a.end)) {
          const line = buf.slice(0, at).replace(/\r$/, '');
          buf = buf.slice(at + a.end.length);
          // Replies come in the order of the DMs: the first unanswered DM is the one answered.
          if (line === a.ok) s.acked.push(seqs.shift()!);
          else if (a.fail.test(line)) seqs.shift();
        }
      });
      let seq = 0;
      const timer = setInterval(() => {
        if (s.conn.isClosed) return clearInterval(timer);
        seqs.push(seq);
        s.conn.write(a.dm(`snd${i}`, `rcv${i}`, `~${i}.${seq++}~`));
        sent++;
      }, 1000 / PER_SECOND);
      s.conn.closed.then(() => clearInterval(timer));
    });
    await pause(ctx.sizes.sigtermMs);
    const t0 = performance.now();
    gw.signal('SIGTERM');
    const code = await gw.exited();
    const downMs = performance.now() - t0;
    await Promise.all([...senders.map((s) => s.conn.closedWithin(2000)), ...receivers.map((r) => r.closedWithin(2000))]);
    let acked = 0;
    let lost = 0;
    senders.forEach((s, i) => {
      acked += s.acked.length;
      for (const q of s.acked) if (!delivered.has(`${i}.${q}`)) lost++;
    });
    return {
      part: 'sigterm',
      title: `(f) SIGTERM under load: ${n} senders (WS_2017, Sup) at ${PER_SECOND} DMs/s each to receivers on every dialect`,
      figures: { 'DMs sent': sent, acknowledged: acked, delivered: delivered.size, 'acknowledged but not delivered': lost, 'exit code': String(code), 'SIGTERM to exit ms': ms(downMs) },
      checks: [
        check('every acknowledged DM was delivered', lost === 0 && acked > 0, `${lost} lost of ${acked} acknowledged`),
        check('exit 0 within shutdown.graceMs + 2 s', code === 0 && downMs < 7000, `exit ${String(code)} after ${ms(downMs)} ms`),
      ],
    };
  } finally {
    for (const c of [...receivers, ...senders.map((s) => s.conn)]) c.destroy();
    await gw.stop();
  }
}

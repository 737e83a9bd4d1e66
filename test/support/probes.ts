import { fold } from '@chat-gateway/core';
import { DIALECT_TESTING, dialectTesting, type ChatDriver, type GatewayProcess, type Seen } from '@chat-gateway/testkit';

// A probe keeps reading at least this often: a dialect's keepalive would close a silent client (WS_2017: 30 s + 10 s).
const KEEPALIVE_MS = 5000;
const GONE_MS = 10_000;

/**
 * The dialect whose clients are told of every departure, room or no room
 * (DESIGN.md's table, "goes offline": WS_2017 `cquit`), found from the
 * contracts: a probe of it on each node sees every user leave.
 */
function probeDialect(): string {
  const t = DIALECT_TESTING.find((d) => !d.contract.rooms?.auto && d.contract.offline({ nick: 'x', dialect: 'y' }, [], 'close').length > 0);
  if (!t) throw new Error('the process-cluster suites need a dialect that shows departures outside rooms; none is installed');
  return t.dialect;
}

/** One probe client on one node: reads only through `until`, so every departure it is told of is counted. */
class Probe {
  /** Departures seen and not yet claimed, by folded nick. */
  readonly departures = new Map<string, number>();

  constructor(
    readonly node: GatewayProcess,
    readonly driver: ChatDriver,
  ) {}

  /** Reads frames until one matches (departures counted on the way); rejects at the deadline. */
  async until(match: (s: Seen) => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.driver.next(Math.max(1, deadline - Date.now()));
      this.see(s);
      if (match(s)) return;
    }
  }

  /** Counts a frame read some other way (a drain). */
  see(s: Seen): void {
    if (s.kind === 'offline') this.departures.set(fold(s.nick), (this.departures.get(fold(s.nick)) ?? 0) + 1);
  }

  /** Claims one departure of each nick, waiting for those not seen yet. */
  async claim(nicks: readonly string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const nick of nicks.map(fold)) {
      while ((this.departures.get(nick) ?? 0) === 0) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`node ${this.node.name}: no departure of ${nick} within ${timeoutMs} ms`);
        await this.until((s) => s.kind === 'offline' && fold(s.nick) === nick, left).catch((err: Error) => {
          throw new Error(`node ${this.node.name}: no departure of ${nick} shown to its probe: ${err.message}`);
        });
      }
      this.departures.set(nick, this.departures.get(nick)! - 1);
    }
  }
}

/**
 * A probe client on every node, for what nothing announces across
 * processes. `settle(node)`: every other node's traffic so far has reached
 * that node, since Redis hands one node's messages to another in the order
 * they were published (DESIGN.md "Traffic"): a probe DM from each other node
 * is acknowledged only once it arrived behind them. `gone(nicks)`: every
 * node has shown those users leaving, so nobody who registers afterwards
 * can be told of it. One thing at a time (they share the probes' reads).
 */
export class Probes {
  private readonly probes: Probe[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private tokens = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly nodes: readonly GatewayProcess[]) {}

  /** Registers one probe per node, one after the other, so each is told of the next. */
  async start(): Promise<void> {
    const dialect = probeDialect();
    for (const node of this.nodes) {
      const d = await dialectTesting(dialect).open(node.port(dialect));
      const r = await d.register(`probe_${node.name}`);
      if (!r.ok) throw new Error(`probe on ${node.name}: ${r.raw}`);
      this.probes.push(new Probe(node, d));
    }
    this.timer = setInterval(() => void this.keepalive(), KEEPALIVE_MS);
    this.timer.unref();
  }

  /** The probes' nicks (they are online on every node, like any user). */
  get nicks(): string[] {
    return this.probes.map((p) => p.driver.nick);
  }

  /** The probe user on node `index`, as its peers are told about it. */
  on(index: number): { nick: string; dialect: string } {
    const d = this.probes[index]!.driver;
    return { nick: d.nick, dialect: d.dialect };
  }

  /** Resolves once every other live node's traffic sent before now has reached node `index`. */
  settle(index: number): Promise<void> {
    return this.serial(async () => {
      const to = this.probes[index]!;
      for (const from of this.live().filter((p) => p !== to)) {
        const token = `settle${++this.tokens}`;
        const r = await from.driver.dm(to.driver.nick, token);
        if (!r.ok) throw new Error(`settle: probe DM ${from.node.name} → ${to.node.name} refused: ${r.raw}`);
        await to.until((s) => s.kind === 'dm' && s.text === token, 5000);
      }
    });
  }

  /** Resolves once the probe on every live node was told each of these users left (each departure counted once). */
  gone(nicks: readonly string[], timeoutMs = GONE_MS): Promise<void> {
    return this.serial(async () => {
      await Promise.all(this.live().map((p) => p.claim(nicks, timeoutMs)));
    });
  }

  /** Closes every probe client. */
  close(): void {
    clearInterval(this.timer);
    for (const p of this.probes) p.driver.close();
  }

  private live(): Probe[] {
    return this.probes.filter((p) => p.node.alive && !p.driver.wire.closed);
  }

  /** A sentinel round trip on every probe: it answers keepalives and counts what came. */
  private keepalive(): Promise<void> {
    return this.serial(async () => {
      for (const p of this.live()) for (const s of await p.driver.drain().catch(() => [])) p.see(s);
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => {});
    return run;
  }
}

import type { Answer, Requests } from './cluster.js';
import type { Directory, UserRecord } from './directory.js';
import { fail, ok, type Result } from './errors.js';
import type { BusEvent } from './events.js';
import type { LocalSessions, SessionPort } from './local.js';
import type { Log } from './log.js';
import type { Observer } from './observer.js';
import { Routes } from './routes.js';

/** What a successful direct message tells its sender's session. */
export interface Sent {
  id: string;
  to: string;
  dialect: string;
  /** The recipient's dialect gives no receipts: a sender whose dialect shows them gets one from the gateway now. */
  receipt: boolean;
}

/** A direct message on its way: `answer` is what its sender is to be told (DESIGN.md "Acknowledgement"). */
export interface Routed {
  answer: Promise<Result<Sent>>;
}

export interface DirectDeps {
  node: string;
  local: LocalSessions;
  directory: Directory;
  requests: Requests;
  observer: Observer;
  log: Log;
  /** The reply when the back end is unreachable (logged once, by the Hub). */
  down(err: unknown, op: string): Result<never>;
  /** The text for a node that did not answer in time, or whose Link is down. */
  unanswered: { timeout: (to: string) => string; down: string };
}

/**
 * Direct messages from this node's sessions (DESIGN.md "Nodes and back
 * ends"): to a session of this node at once; to another node's user where
 * Routes remembers it or the Directory says, acknowledged when that node
 * answers. A message resolves as routed once it is on its way, so a sender
 * can go on while the answer is to come.
 */
export class DirectMessages {
  readonly routes: Routes;

  constructor(private readonly d: DirectDeps) {
    this.routes = new Routes(d.directory);
  }

  /** Routes message `id` from `from` (the session's nick now) to `to`. */
  async route(from: string, port: SessionPort, id: string, to: string, text: string, opts?: MessageOptions, retried = false): Promise<Routed> {
    const node = this.d.node;
    const here = this.near(from, port, () => id, to, text, opts);
    if (here) return now(here);
    // A user of another node this node knows of leaves at once; else the Directory says where it is.
    let rec = this.routes.known(to);
    const remembered = rec !== undefined;
    try {
      rec ??= await this.routes.lookup(to, node);
    } catch (err) {
      return now(this.d.down(err, 'sendDirect'));
    }
    // A record of this node without a local session is one being released right now.
    if (!rec || rec.node === node) return now(fail('NO_SUCH_USER', to));
    const target = rec;
    let answerNow: Result<Sent> | undefined;
    const answer = new Promise<Result<Sent>>((resolve) => {
      answerNow = this.far(from, port, id, to, text, opts, target, remembered && !retried, resolve);
    });
    return answerNow ? now(answerNow) : { answer };
  }

  /** route() with no promise for a user of another node that Routes remembers (Hub.routeNow); false for any other (route looks it up). */
  remembered(from: string, port: SessionPort, id: () => string, to: string, text: string, done: (r: Result<Sent>) => void, opts?: MessageOptions): Result<Sent> | boolean {
    const rec = this.routes.known(to);
    if (rec === undefined) return false;
    return this.far(from, port, id(), to, text, opts, rec, true, done) ?? true;
  }

  /**
   * Sends to `target`'s node, its answer to `done` on a later turn; returns the answer instead when
   * there is one now (the Link is down). `retry`: a 'gone' answer means Routes was stale, so look once more.
   */
  private far(from: string, port: SessionPort, id: string, to: string, text: string, opts: MessageOptions | undefined, target: UserRecord, retry: boolean, done: (r: Result<Sent>) => void): Result<Sent> | undefined {
    // Callbacks, not promises: one closure per message and no microtask hops (GC and promise
    // reactions were a third of a busy sending node's time, bench/README.md "Across nodes").
    const sent = this.d.requests.request(target.node, message(id, from, port, target.nick, target.session, text, opts), (answer) => {
      // Remembered, but gone from there (left, or back on another node): forgotten, and looked up once more.
      if (answer === 'gone' && retry) {
        this.routes.forget(to);
        this.route(from, port, id, to, text, opts, true).then((r) => r.answer).then(done, (err: unknown) => done(this.d.down(err, 'sendDirect')));
        return;
      }
      if (answer !== 'delivered') return done(this.unanswered(answer, to));
      this.d.observer.routed('direct');
      done(ok({ id, to: target.nick, dialect: target.dialect, receipt: !target.receipts }));
    });
    return sent ? undefined : this.unanswered('down', to);
  }

  /** Delivers message to `to` when it is a session of this node, synchronously; undefined when it is not. */
  near(from: string, port: SessionPort, id: () => string, to: string, text: string, opts?: MessageOptions): Result<Sent> | undefined {
    const { local, observer } = this.d;
    const near = local.byNickname(to);
    if (!near) return undefined;
    const mid = id();
    local.deliverMessage(message(mid, from, port, near.nick, near.port.id, text, opts), 'direct');
    observer.routed('direct');
    return ok({ id: mid, to: near.nick, dialect: near.port.dialect, receipt: !near.port.receipts });
  }

  private unanswered(answer: Exclude<Answer, 'delivered'>, to: string): Result<Sent> {
    if (answer === 'gone') return fail('NO_SUCH_USER', to);
    this.d.log.warn({ to, answer }, 'direct message to another node not acknowledged');
    return fail('INTERNAL', answer === 'timeout' ? this.d.unanswered.timeout(to) : this.d.unanswered.down);
  }
}

/** An answer there is already. */
export function now(r: Result<Sent>): Routed {
  return { answer: Promise.resolve(r) };
}

function message(id: string, from: string, port: SessionPort, to: string, toSession: string, text: string, opts?: MessageOptions): BusEvent {
  const e: BusEvent = { type: 'message.direct', id, from, session: port.id, dialect: port.dialect, to, toSession, text };
  // Only a notice carries the flag: every other message keeps the shape it always had.
  if (opts?.notice) e.notice = true;
  return e;
}

/** How a message is sent: `notice` marks an IRC NOTICE (DESIGN.md IRC: "NOTICE is delivered as a DM to dialects that have no notices"). */
export interface MessageOptions {
  notice?: boolean;
}

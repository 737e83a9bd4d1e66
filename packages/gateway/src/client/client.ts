import { createInterface, clearLine, cursorTo, type Interface } from 'node:readline';
import { connect, type ChatDriver, type DialectTesting, type Reply } from '@chat-gateway/core/testing';
import { UsageError } from '../bench-cli.js';
import { quoteBytes } from '../trace-print.js';
import { render, unescapeTyped } from './render.js';

/** Where the client reads what is typed and writes what arrives. */
export interface ClientIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** A terminal: a prompt, and lines that arrive are printed above the line being typed. */
  terminal: boolean;
}

export interface ClientOptions {
  /** Show every read and write as bytes (`← "…"`, `→ "…"`) instead of frames. */
  raw?: boolean;
  /** Register this nick at once. */
  nick?: string;
}

// While idle, the reader waits this long for a frame at a time, so that a command never races it for a reply.
const POLL_MS = 200;

export const CLIENT_HELP = [
  'commands: /nick <name>  /msg <nick> <text>  /join <room>  /part [room]  /say <text>  /users  /rooms',
  '          /raw <bytes>  (\\r \\n \\t \\x04 \\\\ understood: /raw login alice\\x04)  /quit  /help',
  'a line without a / goes to the room you joined last, else to whom you last /msg\'d',
].join('\n');

/**
 * `chat-gateway client <dialect> <host:port>` (DESIGN.md "Interop bench"): an
 * interactive line client for any dialect, built on the dialect's own test
 * driver, whose verbs the commands map to. Frames that arrive are printed
 * above the prompt without breaking the line being typed. Resolves when the
 * connection closes (the server's end, or /quit, or end of input).
 */
export async function runClient(testing: DialectTesting, target: { host: string; port: number }, opts: ClientOptions, io: ClientIo): Promise<void> {
  const wire = await connect(target.port, target.host).catch((err: Error) => {
    throw new UsageError(`cannot connect to ${target.host}:${target.port}: ${err.message}`);
  });
  const driver = testing.attach!(wire);
  const rl = createInterface({ input: io.input, output: io.output, prompt: '> ', terminal: io.terminal });
  const print = printer(rl, io);
  if (opts.raw) wire.onTraffic = (dir, bytes) => print(`${dir === 'in' ? '←' : '→'} ${quoteBytes(bytes)}`);
  print(`connected to ${target.host}:${target.port} (${testing.dialect}); /help for commands`);
  const client = new Commands(testing, driver, print, !opts.raw);
  let closed = false;
  const done = new Promise<void>((resolve) => {
    wire.socket.once('close', () => {
      closed = true;
      print('* connection closed');
      rl.close();
      resolve();
    });
  });
  // One thing at a time on the driver: the reader polls between commands, a command waits for the poll in hand.
  let turn: Promise<unknown> = Promise.resolve();
  const serially = (job: () => Promise<unknown>) => (turn = turn.then(job, job));
  const poll = async () => {
    const s = await driver.next(POLL_MS).catch(() => undefined);
    if (s && !opts.raw) print(render(s));
  };
  void (async () => {
    while (!closed && !wire.socket.destroyed) await serially(poll);
  })();
  rl.on('line', (line) => void serially(() => client.run(line)));
  rl.on('close', () => void serially(() => (closed ? Promise.resolve() : client.quit())));
  if (opts.nick) void serially(() => client.run(`/nick ${opts.nick}`));
  if (io.terminal) rl.prompt();
  await done;
}

/** Prints a line above the prompt and the line being typed, which are then drawn again as they were. */
function printer(rl: Interface, io: ClientIo): (line: string) => void {
  return (line) => {
    if (!io.terminal) return void io.output.write(`${line}\n`);
    cursorTo(io.output, 0);
    clearLine(io.output, 0);
    io.output.write(`${line}\n`);
    rl.prompt(true);
  };
}

/** The client's commands, each one of the driver's verbs (or raw bytes). */
class Commands {
  private room?: string;
  private peer?: string;

  constructor(
    private readonly testing: DialectTesting,
    private readonly driver: ChatDriver,
    private readonly print: (line: string) => void,
    private readonly showReplies: boolean,
  ) {}

  async run(line: string): Promise<void> {
    const [, cmd = '', rest = ''] = /^\/(\S*)\s*(.*)$/.exec(line) ?? [undefined, 'say', line];
    try {
      await this.command(cmd.toLowerCase(), rest);
    } catch (err) {
      this.print(`! ${(err as Error).message.split('; unread:')[0]}`);
    }
  }

  async quit(): Promise<void> {
    // A server that never closes after the goodbye is given 2 s.
    await Promise.race([this.driver.quit().catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
    this.driver.close();
  }

  private async command(cmd: string, rest: string): Promise<void> {
    const [first = '', text = ''] = /^(\S*)\s*(.*)$/.exec(rest)!.slice(1);
    switch (cmd) {
      case 'nick':
        return this.reply(await (this.driver.nick ? this.driver.rename(first) : this.driver.register(first)));
      case 'msg':
        this.peer = first;
        return this.reply(await this.driver.dm(first, text));
      case 'join':
        this.room = first.replace(/^#/, '');
        return this.reply(await this.driver.join(this.room));
      case 'part': {
        const room = first.replace(/^#/, '') || this.room || '';
        if (room === this.room) this.room = undefined;
        return this.reply(await this.driver.part(room));
      }
      case 'say':
        if (rest === '') return;
        if (this.room) return this.reply(await this.driver.roomSay(this.room, rest));
        if (this.peer) return this.reply(await this.driver.dm(this.peer, rest));
        return this.print('! nowhere to say it: /join a room or /msg someone first');
      case 'users':
      case 'rooms': {
        const listing = cmd === 'users' ? this.testing.contract.users : this.testing.contract.rooms?.list;
        if (!listing) return this.print(`! ${this.testing.dialect} has no ${cmd === 'users' ? 'user' : 'room'} list`);
        for (const f of await listing.ask(this.driver, this.room ?? 'general')) this.print(f);
        return;
      }
      case 'raw':
        this.driver.wire.write(unescapeTyped(rest));
        return;
      case 'quit':
        return this.quit();
      case 'help':
        return this.print(CLIENT_HELP);
      default:
        return this.print(`! unknown command /${cmd}; /help lists them`);
    }
  }

  /** A verb's reply: shown when the server said something (an error always). */
  private reply(r: Reply): void {
    if (!r.ok) {
      for (const raw of [r.raw, ...(r.more ?? [])]) this.print(`! ${render({ kind: 'reply', ok: false, raw })}`);
      return;
    }
    if (this.showReplies && r.raw !== '') this.print(render({ kind: 'reply', ok: true, raw: r.raw }));
  }
}

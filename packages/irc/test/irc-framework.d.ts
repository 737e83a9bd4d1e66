// The part of irc-framework's API (it ships no types) that irc-framework.test.ts uses.
declare module 'irc-framework' {
  interface IrcEvent {
    nick: string;
    ident: string;
    hostname: string;
    channel: string;
    target: string;
    message: string;
    type: string;
    error: string;
    reason: string;
  }
  class Client {
    constructor(options?: Record<string, unknown>);
    readonly user: { nick: string };
    connect(options: Record<string, unknown>): void;
    on(event: string, fn: (e: IrcEvent) => void): this;
    removeListener(event: string, fn: (e: IrcEvent) => void): this;
    join(channel: string): void;
    part(channel: string, message?: string): void;
    say(target: string, message: string): void;
    notice(target: string, message: string): void;
    raw(line: string): void;
    quit(message?: string): void;
  }
  const IRC: { Client: typeof Client };
  export default IRC;
  export type { Client, IrcEvent };
}

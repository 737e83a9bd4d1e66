// Reconnect delays (DESIGN.md "Transports and the browser": the page reconnects after a dropped connection):
// doubling from FIRST_MS up to MAX_MS, with jitter so a restarted gateway is not hit by every page at once.
const FIRST_MS = 500;
const MAX_MS = 10_000;

/** What the link tells the page. */
export interface LinkEvents {
  open(): void;
  message(text: string): void;
  /** The connection dropped; the next try is in `retryMs`. */
  down(retryMs: number, attempt: number): void;
}

/** The next reconnect delay for this attempt (0-based). */
export function backoff(attempt: number, random: number = Math.random()): number {
  return Math.round(Math.min(MAX_MS, FIRST_MS * 2 ** attempt) * (0.8 + 0.4 * random));
}

/** The page's WebSocket: one ChatMaster package per message, reopened with backoff until the user leaves. */
export class Link {
  private ws?: WebSocket;
  private attempt = 0;
  private timer?: number;
  private wanted = false;

  constructor(private readonly url: string, private readonly events: LinkEvents) {}

  /** Opens the connection, and keeps reopening it after drops. */
  connect(): void {
    this.wanted = true;
    clearTimeout(this.timer);
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => this.events.open();
    ws.onmessage = (ev: MessageEvent) => {
      if (typeof ev.data === 'string') this.events.message(ev.data);
    };
    ws.onclose = () => {
      if (this.ws !== ws || !this.wanted) return;
      const delay = backoff(this.attempt);
      this.events.down(delay, ++this.attempt);
      this.timer = window.setTimeout(() => this.connect(), delay);
    };
  }

  /** The session is up again: the next drop starts the backoff from the beginning. */
  stable(): void {
    this.attempt = 0;
  }

  /** Sends one package; false when the connection is not open. */
  send(pkg: string): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(pkg);
    return true;
  }

  /** Drops this connection and tries again after the backoff (a re-login that was refused, say). */
  retry(): void {
    this.ws?.close(1000);
  }

  /** Closes for good (no reconnect). */
  close(): void {
    this.wanted = false;
    clearTimeout(this.timer);
    this.ws?.close(1000);
  }
}

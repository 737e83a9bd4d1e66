import { clock, h } from '../shared/dom.js';
import { openTrace } from './api.js';

// What the trace panel keeps on screen: the latest lines only.
const LINES_MAX = 500;

interface Hello { type: 'hello'; connection?: { id: string; listener: string; dialect: string; transport: string; remote: string; nick?: string } }
interface Frame { type: 'frame'; dir: 'in' | 'out' | 'pending'; at: number; nick?: string; bytes: number; text: string; hint?: string; dropped?: number }
type TraceMessage = Hello | Frame | { type: 'end' };

/** The live trace of one connection: its frames in and out as they cross the wire, controls escaped by the gateway. */
export class TracePanel {
  private ws?: WebSocket;

  constructor(private readonly title: HTMLElement, private readonly list: HTMLOListElement) {}

  /** Watches one connection (and stops watching the one before). */
  watch(conn: string): void {
    this.stop();
    this.list.replaceChildren();
    this.title.textContent = `connecting to ${conn}…`;
    const ws = openTrace(conn);
    this.ws = ws;
    ws.onmessage = (ev: MessageEvent) => this.take(JSON.parse(String(ev.data)) as TraceMessage);
    ws.onclose = (ev: CloseEvent) => {
      if (this.ws === ws) this.note(ev.code === 1000 ? 'trace ended' : `trace closed (${ev.code}${ev.reason ? `: ${ev.reason}` : ''})`);
    };
  }

  stop(): void {
    const ws = this.ws;
    this.ws = undefined;
    ws?.close(1000);
  }

  private take(m: TraceMessage): void {
    if (m.type === 'hello') {
      const c = m.connection;
      this.title.textContent = c ? `${c.id} · ${c.listener} (${c.dialect} over ${c.transport}) · ${c.remote}${c.nick ? ` · ${c.nick}` : ''}` : 'connection';
      return;
    }
    if (m.type === 'end') return this.note('the connection closed');
    if (m.dropped) this.note(`${m.dropped} records dropped (this page read too slowly)`);
    this.add(h('li', { 'data-dir': m.dir, class: m.dir },
      h('time', {}, clock(m.at)),
      h('span', { class: 'dir' }, m.dir === 'in' ? '→ in ' : m.dir === 'out' ? '← out' : '⚠ stuck'),
      h('span', { class: 'who' }, m.nick ?? ''),
      h('code', {}, m.text),
      // Bytes that ended no frame in time (trace.pendingMs), with what the dialect says is missing.
      m.hint === undefined ? undefined : h('span', { class: 'hint' }, m.hint),
      h('span', { class: 'bytes' }, `${m.bytes} B`)));
  }

  private note(text: string): void {
    this.add(h('li', { class: 'note' }, text));
  }

  private add(li: HTMLLIElement): void {
    const atBottom = this.list.scrollTop + this.list.clientHeight >= this.list.scrollHeight - 4;
    this.list.append(li);
    while (this.list.children.length > LINES_MAX) this.list.firstElementChild?.remove();
    if (atBottom) this.list.scrollTop = this.list.scrollHeight;
  }
}

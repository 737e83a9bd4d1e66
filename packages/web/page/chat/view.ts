import { byId, clock, fill, h } from '../shared/dom.js';
import type { ChatState, Conversation, Line } from './state.js';
import { roomKey } from './state.js';

/** What the user does, as the view reports it. */
export interface ViewActions {
  login(nick: string): void;
  open(key: string): void;
  join(room: string): void;
  direct(nick: string): void;
  send(text: string): void;
}

/** The chat page's DOM: login form, sidebar (rooms, people), the open conversation, the composer. */
export class ChatView {
  private readonly messages = byId<HTMLOListElement>('messages');

  constructor(private readonly state: ChatState, private readonly actions: ViewActions) {
    byId<HTMLFormElement>('login-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const nick = byId<HTMLInputElement>('nick').value.trim();
      if (nick) actions.login(nick);
    });
    byId<HTMLFormElement>('new-room').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const input = byId<HTMLInputElement>('room-name');
      const room = input.value.trim().replace(/^#/, '');
      if (room) actions.join(room);
      input.value = '';
    });
    byId<HTMLFormElement>('compose').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const input = byId<HTMLInputElement>('text');
      const text = input.value;
      if (text.trim()) actions.send(text);
      input.value = '';
      input.focus();
    });
    byId('menu-toggle').addEventListener('click', () => document.body.classList.toggle('menu-open'));
  }

  /** Shows the login form (with a reason when a login was refused) or the chat. */
  showLogin(error = ''): void {
    document.body.dataset.screen = 'login';
    byId('login-error').textContent = error;
    byId<HTMLInputElement>('nick').focus();
  }

  showChat(): void {
    document.body.dataset.screen = 'chat';
    byId('me').textContent = this.state.nick;
  }

  /** The connection line at the top: connected, or when the next try is. */
  connection(text: string, ok: boolean): void {
    const e = byId('conn-state');
    e.textContent = text;
    e.dataset.ok = String(ok);
  }

  /** Redraws the sidebar: rooms (mine marked) and people with their dialects. */
  sidebar(): void {
    const s = this.state;
    const rooms = [...new Set([...s.rooms, ...(s.channel ? [s.channel] : [])])].sort();
    fill(
      byId('rooms'),
      rooms.map((r) => {
        const c = s.conversations.get(roomKey(r));
        const here = s.channel?.toLowerCase() === r.toLowerCase();
        return h('li', { 'data-room': r, class: here ? 'here' : undefined },
          h('button', { type: 'button', onclick: () => this.actions.join(r), 'aria-current': c?.key === s.current ? 'true' : undefined }, `#${r}`, here ? h('span', { class: 'tag' }, 'you are here') : undefined, badge(c)));
      }),
    );
    fill(
      byId('people'),
      s.users.map((u) => {
        const me = u.username.toLowerCase() === s.nick.toLowerCase();
        return h('li', { 'data-nick': u.username, 'data-dialect': u.dialect },
          h('button', { type: 'button', disabled: me, onclick: () => this.actions.direct(u.username), title: me ? 'you' : `message ${u.username}` }, h('span', { class: 'nick' }, u.username), h('span', { class: 'dialect' }, u.dialect), badge(s.conversations.get(`@${u.username.toLowerCase()}`))));
      }),
    );
    fill(
      byId('directs'),
      [...s.conversations.values()].filter((c) => c.kind === 'direct').map((c) =>
        h('li', { 'data-direct': c.name }, h('button', { type: 'button', onclick: () => this.actions.open(c.key), 'aria-current': c.key === s.current ? 'true' : undefined }, `@${c.name}`, badge(c))),
      ),
    );
  }

  /** Shows one conversation whole. */
  open(c: Conversation): void {
    document.body.classList.remove('menu-open');
    const dialect = c.kind === 'direct' ? this.state.dialectOf(c.name) : undefined;
    byId('conv-title').textContent = c.kind === 'room' ? `#${c.name}` : `@${c.name}${dialect ? ` (${dialect})` : ''}`;
    byId('messages').dataset.conversation = c.key;
    fill(this.messages, c.lines.map(lineItem));
    this.scroll();
  }

  /** Appends a line to the conversation on screen. */
  append(line: Line): void {
    this.messages.append(lineItem(line));
    this.scroll();
  }

  private scroll(): void {
    this.messages.scrollTop = this.messages.scrollHeight;
  }
}

function badge(c: Conversation | undefined): HTMLElement | undefined {
  return c && c.unread > 0 ? h('span', { class: 'unread' }, String(c.unread)) : undefined;
}

function lineItem(l: Line): HTMLLIElement {
  return h('li', { class: `line ${l.kind}`, 'data-kind': l.kind },
    h('time', {}, clock(l.at)),
    l.from !== undefined ? h('span', { class: 'from' }, l.from) : undefined,
    h('span', { class: 'text' }, l.text));
}

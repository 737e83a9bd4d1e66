import { ChatState, roomKey, type Conversation } from './state.js';
import { Link } from './link.js';
import { parse, Send, type Incoming } from './protocol.js';
import { ChatView } from './view.js';

// The chat page: a ChatMaster 3000 client over WebSocket (DESIGN.md "Transports and the browser").
// The gateway serves it with the WebSocket path in a meta tag.
const USERS_POLL_MS = 10_000;

const wsPath = document.querySelector<HTMLMetaElement>('meta[name="chat-gateway-ws"]')?.content || '/ws';
const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${wsPath}`;

const state = new ChatState();
let wantedNick = '';
let everLoggedIn = false;
let connecting = false;
/** The channel to go back to once a reconnect has logged in again. */
let rejoin: string | undefined;
/** The room the user picked, shown once the gateway confirms the join. */
let picked: string | undefined;
let poll: number | undefined;

const link = new Link(url, {
  open: () => view.connection('connected', true),
  message: (text) => {
    const m = parse(text);
    if (m) handle(m);
  },
  down: (retryMs, attempt) => {
    window.clearInterval(poll);
    if (everLoggedIn) rejoin = state.channel ?? rejoin;
    view.connection(`disconnected: reconnecting in ${(retryMs / 1000).toFixed(1)} s (attempt ${attempt})`, false);
  },
});

const view = new ChatView(state, {
  login(nick) {
    wantedNick = nick;
    if (!connecting) {
      connecting = true;
      link.connect();
    } else if (!link.send(Send.login(nick))) {
      view.connection('not connected yet: the login goes out when it is', false);
    }
  },
  open: (key) => show(key),
  join(room) {
    if (state.channel?.toLowerCase() === room.toLowerCase()) return show(roomKey(room));
    picked = room;
    link.send(Send.join(room));
  },
  direct: (nick) => show(state.conversation('direct', nick).key),
  send(text) {
    const c = state.conversations.get(state.current);
    if (!c) return;
    if (c.kind === 'room' && state.channel?.toLowerCase() !== c.name.toLowerCase()) {
      return say(c, { kind: 'error', text: `You are not in #${c.name} now: pick it under Rooms to join it again.` });
    }
    if (!link.send(c.kind === 'room' ? Send.say(text) : Send.dm(c.name, text))) return say(c, { kind: 'error', text: 'Not connected: the message was not sent.' });
    say(c, { kind: 'mine', from: state.nick, text });
  },
});

/** Adds a line to a conversation, on screen when it is open. */
function say(c: Conversation, line: Parameters<ChatState['add']>[1]): void {
  const l = state.add(c, line);
  if (c.key === state.current) view.append(l);
}

function show(key: string): void {
  const c = state.conversations.get(key);
  if (!c) return;
  state.current = key;
  c.unread = 0;
  view.open(c);
  view.sidebar();
}

function current(): Conversation {
  return state.conversations.get(state.current) ?? state.conversation('room', state.channel ?? 'general');
}

/** Asks for who is online (the users extension) and which rooms there are: other dialects' comings and goings reach a ChatMaster client as no event. */
function askUsers(): void {
  link.send(Send.users());
  link.send(Send.channels());
}

function handle(m: Incoming): void {
  switch (m.kind) {
    case 'login-request':
      if (wantedNick) link.send(Send.login(wantedNick));
      break;
    case 'session':
      if (m.ok) loggedIn(m.username, m.channels);
      else if (everLoggedIn) {
        // Back after a drop but the name is not free yet (the old connection is still being noticed): try again later.
        view.connection(`could not log in again as ${wantedNick}: ${m.reason}`, false);
        link.retry();
      } else view.showLogin(m.reason);
      break;
    case 'room-message':
      say(state.conversation('room', m.room), { kind: 'message', from: m.from, text: m.text });
      break;
    case 'direct-message':
      say(state.conversation('direct', m.from), { kind: 'message', from: m.from, text: m.text });
      if (!state.dialectOf(m.from)) askUsers();
      break;
    case 'joined':
      joined(m.user, m.room);
      break;
    case 'left':
      if (sameNick(m.user, state.nick)) {
        if (state.channel?.toLowerCase() === m.room.toLowerCase()) state.channel = undefined;
        say(state.conversation('room', m.room), { kind: 'event', text: `you left #${m.room}` });
      } else say(state.conversation('room', m.room), { kind: 'event', text: `${m.user} left #${m.room}` });
      askUsers();
      break;
    case 'renamed':
      if (sameNick(m.from, state.nick)) state.nick = m.to;
      state.rename(m.from, m.to);
      say(current(), { kind: 'event', text: `${m.from} is now known as ${m.to}` });
      askUsers();
      break;
    case 'channels':
      state.rooms = m.channels;
      break;
    case 'users':
      state.users = m.users;
      if (state.conversations.get(state.current)?.kind === 'direct') view.open(current());
      break;
    case 'shutdown':
      say(current(), { kind: 'event', text: `server: ${m.text}` });
      break;
    case 'error':
      say(current(), { kind: 'error', text: m.text });
      break;
  }
  view.sidebar();
}

function loggedIn(nick: string, channels: string[]): void {
  state.nick = nick;
  state.rooms = channels;
  everLoggedIn = true;
  link.stable();
  view.showChat();
  view.connection(`connected as ${nick}`, true);
  askUsers();
  window.clearInterval(poll);
  poll = window.setInterval(askUsers, USERS_POLL_MS);
}

function joined(user: string, room: string): void {
  const c = state.conversation('room', room);
  if (!sameNick(user, state.nick)) {
    say(c, { kind: 'event', text: `${user} joined #${room}` });
    askUsers();
    return;
  }
  state.channel = room;
  if (!state.rooms.some((r) => r.toLowerCase() === room.toLowerCase())) state.rooms = [...state.rooms, room];
  say(c, { kind: 'event', text: `you joined #${room}` });
  // After a reconnect the gateway puts us in its home channel: go back to where we were.
  const back = rejoin;
  rejoin = undefined;
  if (back && back.toLowerCase() !== room.toLowerCase()) {
    link.send(Send.join(back));
    return;
  }
  const asked = picked !== undefined && picked.toLowerCase() === room.toLowerCase();
  picked = undefined;
  if (asked || !state.current || state.conversations.get(state.current)?.kind === 'room') show(c.key);
}

function sameNick(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

view.showLogin();

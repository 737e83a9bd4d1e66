import { clock, fill, h } from '../shared/dom.js';
import type { Status } from './api.js';

const cell = (text: string | number) => h('td', {}, String(text));

// What each section was last drawn from: a section is redrawn only when its data changed, so a button
// being clicked is not replaced under the pointer every second.
const drawn = new Map<string, string>();

function section(id: string, data: unknown, build: () => Node[]): void {
  const key = JSON.stringify(data);
  if (drawn.get(id) === key) return;
  drawn.set(id, key);
  fill(get(id), build());
}

/** Redraws every table of the status page from one /status read; `trace` is called with a connection id. */
export function render(s: Status, trace: (conn: string) => void): void {
  text('node', `node ${s.node} · back end ${s.backend.type} ${s.backend.up ? 'up' : 'DOWN'} · ${s.connections} connection${s.connections === 1 ? '' : 's'}`);
  const dialectOf = new Map(s.listeners.map((l) => [l.name, l.dialect]));
  section('listeners', s.endpoints, () => s.endpoints.map((e) => h('tr', { 'data-listener': e.name }, cell(e.name), cell(dialectOf.get(e.name) ?? ''), cell(e.transport), cell(e.url + (e.page ? '  (chat page at /)' : '')))));

  const byDialect = new Map<string, string[]>();
  for (const d of Object.keys(s.usersByDialect)) byDialect.set(d, []);
  for (const u of s.users) byDialect.set(u.dialect, [...(byDialect.get(u.dialect) ?? []), u.nick]);
  section('users', [...byDialect], () => [...byDialect].map(([d, nicks]) =>
    h('li', { 'data-dialect': d }, h('strong', {}, `${d} (${nicks.length})`), ' ', ...nicks.flatMap((n) => [h('span', { class: 'nick', 'data-nick': n }, n), ' ']))));

  section('rooms', s.rooms, () => s.rooms.map((r) => h('tr', { 'data-room': r.name }, cell(r.name), cell(r.visibility), cell(r.members))));
  text('private-rooms', s.privateRooms > 0 ? `${s.privateRooms} private room${s.privateRooms === 1 ? '' : 's'} not named (log in with the admin token to see them)` : '');

  const codes = Object.entries(s.errors.byCode).sort((a, b) => b[1] - a[1]);
  section('errors', codes, () => codes.length === 0 ? [h('tr', {}, h('td', { colspan: '2' }, 'none yet'))] : codes.map(([code, n]) => h('tr', { 'data-code': code }, cell(code), cell(n))));
  section('recent-errors', s.errors.recent.slice(0, 10), () => s.errors.recent.slice(0, 10).map((e) => h('li', {}, h('time', {}, clock(e.at)), ` ${e.code} `, h('span', { class: 'muted' }, e.dialect))));

  section('clients', s.clients, () => s.clients.map((c) =>
    h('tr', { 'data-conn': c.id, 'data-nick': c.nick }, cell(c.id), cell(c.nick ?? '—'), cell(c.dialect), cell(`${c.listener} (${c.transport})`), cell(c.remote),
      h('td', {}, h('button', { type: 'button', class: 'trace', onclick: () => trace(c.id) }, 'Trace')))));
}

function get(id: string): HTMLElement {
  const e = document.getElementById(id);
  if (!e) throw new Error(`no #${id}`);
  return e;
}

function text(id: string, value: string): void {
  get(id).textContent = value;
}

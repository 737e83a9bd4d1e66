import { safeBlock } from '@chat-gateway/core';
import type { DialectTesting, Peer, RoomView } from '@chat-gateway/core/testing';
import { dialect } from '@chat-gateway/chatmaster';
import { ChatMasterDriver } from './driver.js';
import { probe } from './probe.js';

const pkg = (type: string, data: Record<string, unknown>) => JSON.stringify({ type, data });

/** A ChatMaster notification as the gateway writes it: flat fields, and the same nested under `parameters` with extras. */
export const notification = (event_type: string, flat: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  pkg('notification', { event_type, ...flat, parameters: { ...flat, ...extra } });

const left = (peer: Peer, v: RoomView) => notification('user_left', { username: peer.nick, channel: v.room }, { current_users: v.members });

/**
 * ChatMaster 3000 in the cross-dialect suites: JSON packages, one channel
 * at a time, `general` from login; presence only through the channel.
 */
export const testing: DialectTesting = {
  dialect: dialect.name,
  open: (port, host) => ChatMasterDriver.open(port, host),
  attach: (wire) => new ChatMasterDriver(wire),
  probe,
  contract: {
    dm: (from, _to, text) => pkg('message', { message: text, username: from.nick, direct: true }),
    dmOk: '',
    dmOffline: (to) => pkg('error', { error_type: 'message', message: `No user named ${to} is online.` }),
    nickTaken: (_nick, suggestion) => pkg('session', { status: false, reason: `Username is already taken. Try ${suggestion}.` }),
    receipts: false,
    // The spec has no quit command: a client just closes.
    quitsByClosing: true,
    renames: true,
    online: () => undefined,
    offline: (peer, shared) => shared.map((v) => left(peer, v)),
    renamed: (from, to, shared) => (shared ? notification('user_rename', { old_username: from.nick, new_username: to }) : undefined),
    shutdown: (message) => notification('server_shutdown', { message }),
    rooms: {
      auto: 'general',
      single: true,
      setsVisibility: true,
      message: (from, room, text) => pkg('message', { message: text, username: from.nick, channel: room }),
      joined: (peer, v) => notification('user_joined', { username: peer.nick, channel: v.room }, { current_users: v.members }),
      left,
      // Only the member who changed it gets a reply (a channel_list); the others are not told.
      visibility: () => undefined,
      list: {
        async ask(d) {
          (d as ChatMasterDriver).command('channels');
          return [(await d.next()).raw];
        },
        // The spec fixes no order for channel_list.
        names: ([raw]) => {
          const p = JSON.parse(raw ?? 'null') as { data?: { event_type?: string; channels?: string[] } } | null;
          return p?.data?.event_type === 'channel_list' && p.data.channels ? p.data.channels : [`unexpected reply ${raw}`];
        },
      },
    },
  },
  injection: {
    carriable: (b) => b,
    canonical: (b) => b.toString('utf8'),
    safe: (text) => [safeBlock(text)],
    name: (name) => name,
  },
};

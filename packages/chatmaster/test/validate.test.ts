import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { check, COMMAND_NAMES } from '@chat-gateway/chatmaster';

const cmd = (command: unknown, parameters?: unknown) => ({ type: 'command', data: parameters === undefined ? { command } : { command, parameters } });

describe('schema validation: good packages', () => {
  const GOOD: [string, unknown, unknown][] = [
    ['message', { type: 'message', data: { message: 'hi' } }, { kind: 'message', text: 'hi' }],
    ['message with a username of its own (ignored)', { type: 'message', data: { message: 'hi', username: 'x' } }, { kind: 'message', text: 'hi' }],
    ['message with to', { type: 'message', data: { message: 'hi', to: 'bob' } }, { kind: 'message', text: 'hi', to: 'bob' }],
    ['message with to: null is a room message', { type: 'message', data: { message: 'hi', to: null } }, { kind: 'message', text: 'hi' }],
    ['keys in any order', { data: { parameters: { username: 'ann' }, command: 'login' }, type: 'command' }, { kind: 'login', username: 'ann' }],
    ['login', cmd('login', { username: 'ann' }), { kind: 'login', username: 'ann' }],
    ['rename', cmd('rename', { username: 'al' }), { kind: 'rename', username: 'al' }],
    ['join', cmd('join', { channel: 'den' }), { kind: 'join', channel: 'den' }],
    ['leave, no parameters', cmd('leave'), { kind: 'leave' }],
    ['leave, parameters null', cmd('leave', null), { kind: 'leave' }],
    ['leave, parameters {}', cmd('leave', {}), { kind: 'leave' }],
    ['private, null', cmd('private', null), { kind: 'private' }],
    ['public, null', cmd('public', null), { kind: 'public' }],
    ['channels', cmd('channels', null), { kind: 'channels' }],
    ['channel_list is channels', cmd('channel_list'), { kind: 'channels' }],
  ];
  for (const [name, value, pkg] of GOOD) {
    test(name, () => {
      const c = check(value);
      assert.ok(c.ok, JSON.stringify(c));
      assert.deepEqual(c.pkg, pkg);
    });
  }
  test('the name given back is the command as spelled', () => {
    const c = check(cmd('channel_list'));
    assert.ok(c.ok);
    assert.equal(c.name, 'channel_list');
  });
  test('every spec command is accepted', () => {
    for (const c of ['login', 'rename', 'join', 'leave', 'private', 'public', 'channels']) assert.ok(COMMAND_NAMES.includes(c), c);
  });
});

describe('schema validation: bad packages name the command and what is wrong', () => {
  const BAD: [string, unknown, string, string, RegExp][] = [
    ['not an object', [1, 2], 'parse', 'BAD_ARGUMENTS', /^package must be a JSON object/],
    ['a string', 'hello', 'parse', 'BAD_ARGUMENTS', /^package must be a JSON object/],
    ['no type', { data: {} }, 'parse', 'BAD_ARGUMENTS', /must have required property 'type'/],
    ['no data', { type: 'message' }, 'message', 'BAD_ARGUMENTS', /must have required property 'data'/],
    ['server-only type', { type: 'session', data: {} }, 'parse', 'BAD_ARGUMENTS', /^package\.type must be "message" or "command"$/],
    ['data not an object', { type: 'command', data: 'login' }, 'parse', 'BAD_ARGUMENTS', /^package\.data must be object$/],
    ['message without text', { type: 'message', data: {} }, 'message', 'BAD_ARGUMENTS', /^data must have required property 'message'$/],
    ['message text a number', { type: 'message', data: { message: 5 } }, 'message', 'BAD_ARGUMENTS', /^data\.message must be string$/],
    ['to a number', { type: 'message', data: { message: 'x', to: 5 } }, 'message', 'BAD_ARGUMENTS', /^data\.to must be string,null$/],
    ['command not a string', cmd(5), 'parse', 'BAD_ARGUMENTS', /^data\.command must be string$/],
    ['unknown command', cmd('dance'), 'dance', 'UNKNOWN_COMMAND', /^unknown command "dance"; commands are login, /],
    ['unknown command with an odd name', cmd('a b"c'), 'parse', 'UNKNOWN_COMMAND', /^unknown command "a b\\"c"/],
    ['__proto__ is no command', cmd('__proto__'), '__proto__', 'UNKNOWN_COMMAND', /unknown command/],
    ['login without parameters', cmd('login'), 'login', 'BAD_ARGUMENTS', /^data\.parameters must be object$/],
    ['login with parameters null', cmd('login', null), 'login', 'BAD_ARGUMENTS', /^data\.parameters must be object$/],
    ['login without username', cmd('login', {}), 'login', 'BAD_ARGUMENTS', /^data\.parameters must have required property 'username'$/],
    ['login with a numeric username', cmd('login', { username: 1 }), 'login', 'BAD_ARGUMENTS', /^data\.parameters\.username must be string$/],
    ['join without channel', cmd('join', { name: 'x' }), 'join', 'BAD_ARGUMENTS', /required property 'channel'/],
    ['rename with parameters an array', cmd('rename', ['x']), 'rename', 'BAD_ARGUMENTS', /^data\.parameters must be object,null$/],
    ['leave with parameters a string', cmd('leave', 'now'), 'leave', 'BAD_ARGUMENTS', /^data\.parameters must be object,null$/],
  ];
  for (const [name, value, errorType, code, detail] of BAD) {
    test(name, () => {
      const c = check(value);
      assert.ok(!c.ok, 'must be refused');
      assert.equal(c.errorType, errorType);
      assert.equal(c.code, code);
      assert.match(c.detail, detail);
    });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenizeCommand, type CommandLineRules } from '@chat-gateway/core';

// The two rule sets the line dialects use (packages/psu, packages/irc), written out here so that
// core's tokenizer is checked on its own.
const MARKER: CommandLineRules = { leadingColon: 'marker', tabs: true, colonTrailing: false, restAfter: { PRIVMSG: 1 } };
const SOURCE: CommandLineRules = { leadingColon: 'source', tabs: false, colonTrailing: true };

const tok = (raw: string, rules: CommandLineRules) => {
  const c = tokenizeCommand(raw, rules);
  return c && [c.command, ...c.params];
};

test('no command word: undefined, whatever the rules', () => {
  for (const rules of [MARKER, SOURCE]) for (const raw of ['', ' ', ':', ' : ']) assert.equal(tokenizeCommand(raw, rules), undefined, JSON.stringify(raw));
  assert.equal(tokenizeCommand(':nick!u@h', SOURCE), undefined, 'a source and no command');
});

test('command upper-cased (ASCII letters only), blanks skipped, raw kept', () => {
  assert.deepEqual(tokenizeCommand('  join  #a   ', MARKER), { command: 'JOIN', params: ['#a'], raw: '  join  #a   ' });
  assert.deepEqual(tok('privMsg b x', SOURCE), ['PRIVMSG', 'b', 'x']);
  assert.deepEqual(tok('été x', SOURCE), ['éTé', 'x']);
});

test('marker: a leading colon is the command sigil; the rest-of-line parameter keeps its text, one colon dropped', () => {
  assert.deepEqual(tok(':NICK alice', MARKER), ['NICK', 'alice']);
  assert.deepEqual(tok(': NICK\talice', MARKER), ['NICK', 'alice']);
  assert.deepEqual(tok(':PRIVMSG bob  hi  there ', MARKER), ['PRIVMSG', 'bob', 'hi  there ']);
  assert.deepEqual(tok(':PRIVMSG bob ::)', MARKER), ['PRIVMSG', 'bob', ':)']);
  assert.deepEqual(tok(':PRIVMSG bob :', MARKER), ['PRIVMSG', 'bob', '']);
  assert.deepEqual(tok(':NICK :x y', MARKER), ['NICK', ':x', 'y'], 'no trailing rule: a colon elsewhere is text');
  assert.equal(tokenizeCommand(':NICK a', MARKER)!.source, undefined);
});

test('source: a prefix word is returned apart; a colon parameter is the trailing one; tabs are text', () => {
  assert.deepEqual(tokenizeCommand(':alice!a@h PRIVMSG #x :hi :) there', SOURCE), { command: 'PRIVMSG', params: ['#x', 'hi :) there'], raw: ':alice!a@h PRIVMSG #x :hi :) there', source: 'alice!a@h' });
  assert.deepEqual(tok('USER u 0 * :Real Name', SOURCE), ['USER', 'u', '0', '*', 'Real Name']);
  assert.deepEqual(tok('PRIVMSG bob :', SOURCE), ['PRIVMSG', 'bob', '']);
  assert.deepEqual(tok('PRIVMSG bob hi there', SOURCE), ['PRIVMSG', 'bob', 'hi', 'there'], 'RFC 2812: without a colon a word is one parameter');
  assert.deepEqual(tok('NICK a\tb', SOURCE), ['NICK', 'a\tb']);
  assert.deepEqual(tok('PING ::x', SOURCE), ['PING', ':x']);
});

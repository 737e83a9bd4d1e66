import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { emitted, fault, testFramerFixtures, type Emitted } from '@chat-gateway/core/testing';
import { encodeFrame, LINE_ENDINGS, parseLine, WsFramer, type WsFrame } from '@chat-gateway/ws2017';

type Cmd = { keyword: string; args: string[]; rest?: string };

const LINE_MAX = 64;

/** Bytes from an escaped string: every char is one byte (`\xc3\xa9` is é in UTF-8). */
const b = (s: string) => Buffer.from(s, 'latin1');

/** A frame as compared: the parsed parts, without the raw line. */
const cmd = (f: WsFrame): Cmd => ({ keyword: f.keyword, args: f.args, rest: f.rest });

/** Runs a framer over chunks and collects what it emits, faults included. */
function run(chunks: Uint8Array[], framer = new WsFramer(LINE_MAX)): Emitted<Cmd>[] {
  return emitted(framer, chunks, cmd);
}

/** A row's expected output with `rest` filled in where the row leaves it out (its args, space-joined). */
function expected(frames: Emitted<Cmd>[]): Emitted<Cmd>[] {
  return frames.map((f) => ('fault' in f ? f : { keyword: f.keyword, args: f.args, rest: f.rest ?? f.args.join(' ') }));
}

// bytes ⇄ frames. `canonical`: encodeFrame(frame, 'crlf') gives exactly these bytes.
const ROWS: { name: string; bytes: Buffer; frames: Emitted<Cmd>[]; canonical?: boolean }[] = [
  { name: 'rev-b CRLF', bytes: b('uname alice\r\n'), frames: [{ keyword: 'uname', args: ['alice'] }], canonical: true },
  { name: 'rev-a bare CR', bytes: b('uname alice\r'), frames: [{ keyword: 'uname', args: ['alice'] }] },
  { name: 'bare LF', bytes: b('uname alice\n'), frames: [{ keyword: 'uname', args: ['alice'] }] },
  { name: 'keyword case folded, argument case kept', bytes: b('UnAmE Alice\r\n'), frames: [{ keyword: 'uname', args: ['Alice'] }] },
  { name: 'no arguments', bytes: b('cgetu\r\n'), frames: [{ keyword: 'cgetu', args: [] }], canonical: true },
  {
    name: 'chatm with a quoted text',
    bytes: b("chatm alice bob 'hello there'\r\n"),
    frames: [{ keyword: 'chatm', args: ['alice', 'bob', 'hello there'], rest: "alice bob 'hello there'" }],
    canonical: true,
  },
  {
    name: 'rev-b curly quotes on every argument',
    bytes: b('chatm \xe2\x80\x99alice\xe2\x80\x99 \xe2\x80\x99bob\xe2\x80\x99 \xe2\x80\x99hi you\xe2\x80\x99\r\n'),
    frames: [{ keyword: 'chatm', args: ['alice', 'bob', 'hi you'], rest: '’alice’ ’bob’ ’hi you’' }],
  },
  {
    name: 'double quotes, apostrophe inside',
    bytes: b('chatm "alice" "bob" "it\'s"\r\n'),
    frames: [{ keyword: 'chatm', args: ['alice', 'bob', "it's"], rest: '"alice" "bob" "it\'s"' }],
  },
  {
    name: 'apostrophe inside single quotes',
    bytes: b("chatm a b 'it's fine'\r\n"),
    frames: [{ keyword: 'chatm', args: ['a', 'b', "it's fine"], rest: "a b 'it's fine'" }],
  },
  {
    name: 'unterminated quote is an ordinary character',
    bytes: b("chatm a b 'oops\r\n"),
    frames: [{ keyword: 'chatm', args: ['a', 'b', "'oops"] }],
  },
  { name: 'empty quoted argument', bytes: b("chatm a b ''\r\n"), frames: [{ keyword: 'chatm', args: ['a', 'b', ''], rest: "a b ''" }], canonical: true },
  {
    name: 'blanks and tabs around and between',
    bytes: b(' \tchatm  a \t b   hi  \r\n'),
    frames: [{ keyword: 'chatm', args: ['a', 'b', 'hi'], rest: 'a \t b   hi' }],
  },
  { name: '+OK cpong', bytes: b('+OK cpong\r\n'), frames: [{ keyword: '+ok', args: ['cpong'] }] },
  { name: "+OK 'pong' quoted", bytes: b("+OK 'pong'\r\n"), frames: [{ keyword: '+ok', args: ['pong'], rest: "'pong'" }] },
  {
    name: 'glued, mixed endings',
    bytes: b('cgetu\r\nping\ncquit\r'),
    frames: [{ keyword: 'cgetu', args: [] }, { keyword: 'ping', args: [] }, { keyword: 'cquit', args: [] }],
  },
  { name: 'empty and blank lines produce nothing', bytes: b('\r\n\r\n\n\r  \t\r\nping\r\n'), frames: [{ keyword: 'ping', args: [] }] },
  { name: 'CR CR LF is one line and one empty', bytes: b('ping\r\r\ncgetu\r\n'), frames: [{ keyword: 'ping', args: [] }, { keyword: 'cgetu', args: [] }] },
  {
    name: 'UTF-8 text',
    bytes: b("chatm a b 'h\xc3\xa9llo \xe2\x82\xac'\r\n"),
    frames: [{ keyword: 'chatm', args: ['a', 'b', 'héllo €'], rest: "a b 'héllo €'" }],
    canonical: true,
  },
  { name: 'invalid UTF-8 replaced, never thrown', bytes: b('\xff\xfe x\r\n'), frames: [{ keyword: '\uFFFD\uFFFD', args: ['x'] }] },
  { name: 'binary garbage and controls reach the session', bytes: b('\x00\x01\x04 \x1b[m\r\n'), frames: [{ keyword: '\u0000\u0001\u0004', args: ['\u001b[m'] }] },
  {
    name: 'oversize line: one fault, skipped to its end, next line served',
    bytes: b(`chatm a b ${'x'.repeat(100)}\r\nping\r\n`),
    frames: [fault('FRAME_TOO_LARGE'), { keyword: 'ping', args: [] }],
  },
  { name: 'exactly lineMax bytes', bytes: b(`chatm ${'y'.repeat(LINE_MAX - 6)}\n`), frames: [{ keyword: 'chatm', args: ['y'.repeat(LINE_MAX - 6)] }] },
];

testFramerFixtures<WsFrame, Cmd>({
  title: 'WS_2017 framer',
  framer: () => new WsFramer(LINE_MAX),
  record: cmd,
  fixtures: ROWS.map((r) => ({ name: r.name, bytes: r.bytes, out: expected(r.frames), canonical: r.canonical })),
  codec: {
    // Every line ending the gateway can write reads back; canonical rows are the CRLF form.
    encoders: Object.fromEntries(LINE_ENDINGS.map((ending) => [ending, (f: Cmd) => encodeFrame(f, ending)])),
    canonical: 'crlf',
    // `rest` is the line as the client spaced and quoted it: the keyword and arguments are what survive.
    kept: (f) => ({ keyword: f.keyword, args: f.args }),
  },
});

describe('WS_2017 framer line endings', () => {
  test('CR then LF in separate chunks ends one line, and the LF starts nothing', () => {
    assert.deepEqual(run([b('ping\r'), b('\n'), b('cgetu\r\n')]), expected([{ keyword: 'ping', args: [] }, { keyword: 'cgetu', args: [] }]));
    assert.deepEqual(run([b('ping\r'), b('\ncgetu\r')]), expected([{ keyword: 'ping', args: [] }, { keyword: 'cgetu', args: [] }]));
  });

  test('a rev-a client (CR only) and a rev-b client (CRLF) read the same', () => {
    const reva = run([b('uname al\rcgetu\rchatm al bo hi\rcquit\r')]);
    const revb = run([b('uname al\r\ncgetu\r\nchatm al bo hi\r\ncquit\r\n')]);
    assert.deepEqual(reva, revb);
    assert.equal(reva.length, 4);
  });

  test('the framer keeps its state between pushes only: a half line waits for its end', () => {
    const framer = new WsFramer(LINE_MAX);
    assert.deepEqual(run([b('cge')], framer), []);
    assert.deepEqual(run([b('tu\r\n')], framer), expected([{ keyword: 'cgetu', args: [] }]));
  });

  test('an oversize line in many small chunks is one fault; the buffer stays bounded', () => {
    const framer = new WsFramer(LINE_MAX);
    const out = run(Array.from({ length: 2000 }, () => Buffer.alloc(50, 0x61)), framer);
    assert.deepEqual(out, [fault('FRAME_TOO_LARGE')]);
    assert.deepEqual(run([b('\r\nping\r\n')], framer), expected([{ keyword: 'ping', args: [] }]));
  });
});

describe('parseLine', () => {
  test('keeps the raw line and returns undefined for blanks only', () => {
    assert.equal(parseLine('  \t ')?.keyword, undefined);
    assert.equal(parseLine(''), undefined);
    assert.deepEqual(parseLine("CHATM a b 'x y'"), { keyword: 'chatm', args: ['a', 'b', 'x y'], rest: "a b 'x y'", raw: "CHATM a b 'x y'" });
  });
});

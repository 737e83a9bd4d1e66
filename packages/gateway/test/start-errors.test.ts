import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bindError } from '../src/start-errors.js';

const errno = (code: string) => Object.assign(new Error(`listen ${code}`), { code });

test('a failed bind is one line naming the listener or the admin server and a free port of the config to move to', () => {
  assert.equal(
    bindError(errno('EADDRINUSE'), { listener: 'ws-a', host: '0.0.0.0', port: 1030, avoid: [1030, 1031, 1032, 8080] })?.message,
    'listener ws-a: port 1030 is already in use (EADDRINUSE); pick another with --port ws-a=1033 or CHAT_GATEWAY_PORT_WS_A',
    'the ports the other listeners use are never suggested',
  );
  assert.equal(
    bindError(errno('EADDRINUSE'), { admin: true, host: '127.0.0.1', port: 8080 })?.message,
    'admin server: port 8080 is already in use (EADDRINUSE); pick another with --admin-port 8081 or CHAT_GATEWAY_ADMIN_PORT',
  );
  assert.equal(
    bindError(errno('EACCES'), { listener: 'web', host: '0.0.0.0', port: 80 })?.message,
    'listener web: port 80 needs privileges here (EACCES); pick one from 1024 up with --port web=8080 or CHAT_GATEWAY_PORT_WEB',
  );
  assert.match(bindError(errno('EADDRNOTAVAIL'), { listener: 'psu', host: '10.9.9.9', port: 23456 })?.message ?? '', /^listener psu: 10\.9\.9\.9 is not an address of this machine \(EADDRNOTAVAIL\); set the host of listener psu \(listeners\[\]\.host\): use one of this machine's addresses \(127\.0\.0\.1/);
  assert.equal(bindError(new Error('a bug'), { listener: 'psu', host: '0.0.0.0', port: 1 }), undefined, 'anything else keeps its stack');
});

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { WireClient } from '@chat-gateway/core/testing';

/** A self-signed certificate for 127.0.0.1 and localhost: the files a listener is configured with, and the PEM a client trusts. */
export interface TestCert {
  certFile: string;
  keyFile: string;
  /** The certificate itself, as `ca` for a client. */
  pem: Buffer;
  /** Deletes the files. */
  remove(): Promise<void>;
}

/**
 * Makes a fresh self-signed certificate with openssl (Debian's, at
 * /usr/bin/openssl): P-256, valid one day, for IP 127.0.0.1 and localhost.
 */
export async function selfSignedCert(): Promise<TestCert> {
  const dir = await mkdtemp(join(tmpdir(), 'cgw-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', keyFile, '-out', certFile,
  ]);
  return { certFile, keyFile, pem: await readFile(certFile), remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A TLS client of 127.0.0.1:port that trusts `cert` (selfSignedCert), once its handshake is done. */
export function connectTls(port: number, cert: TestCert): Promise<WireClient> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, ca: cert.pem, servername: 'localhost' }, () => resolve(new WireClient(s)));
    s.once('error', reject);
  });
}

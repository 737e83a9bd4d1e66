import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnServer, waitForPort, type ServerHandle } from './child.js';

/**
 * The IRC peers: ngIRCd and InspIRCd from Debian's packages, run as our own
 * foreground children on 127.0.0.1, on free ports, with a config written to a
 * temp dir. Flood protection is raised out of the way so that throughput, not
 * throttling, is measured.
 */

export const PEERS = ['ngircd', 'inspircd'] as const;
export type Peer = (typeof PEERS)[number];

const BINARY: Record<Peer, string> = { ngircd: '/usr/sbin/ngircd', inspircd: '/usr/sbin/inspircd' };

/** True when the peer's binary is installed. */
export function peerInstalled(peer: Peer): boolean {
  return spawnSync(BINARY[peer], ['--version'], { stdio: 'ignore' }).error === undefined;
}

/**
 * Installs missing peers with apt-get (Debian packages ngircd and inspircd).
 * Their packaged services are not started: policy-rc.d or no init here, and we
 * start our own instances anyway. Returns the peers available afterwards.
 */
export function installPeers(log: (s: string) => void): Peer[] {
  const missing = PEERS.filter((p) => !peerInstalled(p));
  if (missing.length > 0) {
    log(`installing ${missing.join(', ')} with apt-get ...`);
    try {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
      execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    } catch (err) {
      log(`apt-get failed (${(err as Error).message}); peers that are still missing are skipped`);
    }
  }
  return PEERS.filter(peerInstalled);
}

/** Starts one peer; `irc` is its client port. */
export function startPeer(peer: Peer): Promise<ServerHandle> {
  return peer === 'ngircd' ? startNgircd() : startInspircd();
}

async function startNgircd(): Promise<ServerHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ngircd-'));
  const port = await freePort();
  const conf = join(dir, 'ngircd.conf');
  writeFileSync(
    conf,
    [
      '[Global]',
      'Name = bench.ngircd',
      'Info = chat-gateway bench peer',
      'AdminInfo1 = bench',
      'AdminInfo2 = bench',
      'AdminEMail = bench@localhost',
      'Listen = 127.0.0.1',
      `Ports = ${port}`,
      'MotdPhrase = "bench"',
      '[Limits]',
      'MaxConnections = 0',
      'MaxConnectionsIP = 0',
      'MaxJoins = 0',
      'MaxNickLength = 30',
      // 0 turns ngIRCd's command penalties (its flood protection) off altogether.
      'MaxPenaltyTime = 0',
      'PingTimeout = 600',
      'PongTimeout = 600',
      '[Options]',
      'DNS = no',
      'Ident = no',
      'PAM = no',
      '',
    ].join('\n'),
  );
  // -n: stay in the foreground (no fork), so the pid we hold is the server's.
  return launch('ngircd', BINARY.ngircd, ['-n', '-f', conf], port, dir);
}

async function startInspircd(): Promise<ServerHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-inspircd-'));
  const port = await freePort();
  const conf = join(dir, 'inspircd.conf');
  writeFileSync(
    conf,
    [
      '<server name="bench.inspircd" description="chat-gateway bench peer" network="bench">',
      '<admin name="bench" nick="bench" email="bench@localhost">',
      `<bind address="127.0.0.1" port="${port}" type="clients">`,
      // Flood protection out of the way: huge threshold and command rate, no fakelag, big queues.
      '<connect name="bench" allow="*" timeout="60" pingfreq="600" threshold="1000000000" commandrate="1000000000" fakelag="off"',
      '         hardsendq="67108864" softsendq="67108864" recvq="67108864" localmax="100000" globalmax="100000" limit="100000"',
      '         maxconnwarn="no" resolvehostnames="no" useident="no" maxchans="100">',
      '<channels users="100" opers="100">',
      '<limits maxnick="30" maxchan="64" maxline="512">',
      // Resolver on loopback: the bench sends no packet off this machine (and lookups are off anyway).
      '<dns server="127.0.0.1" timeout="1">',
      `<pid file="${join(dir, 'inspircd.pid')}">`,
      '<performance netbuffersize="65536" somaxconn="1024" softlimit="20000" clonesonconnect="no" timeskipwarn="0">',
      '<security hideserver="" userstats="Pu" maxtargets="20">',
      '<options prefixquit="Quit: " syntaxhints="no" announcets="no" pingwarning="0">',
      '<whowas groupsize="0" maxgroups="0" maxkeep="0">',
      `<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="${join(dir, 'ircd.log')}">`,
      '',
    ].join('\n'),
  );
  // --nofork keeps it our child; --runasroot because the bench may run as root (CI, containers).
  return launch('inspircd', BINARY.inspircd, ['--nofork', '--runasroot', `--config=${conf}`], port, dir);
}

async function launch(name: Peer, bin: string, args: string[], port: number, dir: string): Promise<ServerHandle> {
  const s = spawnServer(bin, args, { cwd: dir, timeoutMs: 20000, ready: () => false });
  try {
    await Promise.race([waitForPort(port, 20000), s.ready]);
  } catch (err) {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${name} did not start: ${(err as Error).message}\n${s.output().slice(-2000)}`);
  }
  return {
    name,
    pid: s.child.pid!,
    ports: { irc: port },
    async stop() {
      await s.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `ngircd --version` / `inspircd --version`, first line, for the report. */
export function peerVersion(peer: Peer): string {
  try {
    return execFileSync(BINARY[peer], ['--version'], { encoding: 'utf8' }).split('\n')[0]!.trim();
  } catch {
    return 'unknown';
  }
}

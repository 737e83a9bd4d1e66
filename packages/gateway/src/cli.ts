import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { redactUrl } from '@chat-gateway/redis/url';
import type { AdminServer } from './admin.js';
import { ConfigError, formatIssues, loadConfig, type ConfigOverrides } from './config/load.js';
import { LOG_LEVELS } from './config/overrides.js';
import type { GatewayConfig } from './config/types.js';
import { startGateway } from './gateway.js';
import { clientCommand } from './client/command.js';
import { probeCommand } from './probe/command.js';
import { createLogger } from './logging.js';
import { createMetrics } from './metrics.js';
import { DialectLoadError, installedDialectNames } from './registry.js';
import { Reloader, type ReloadReport } from './reloader.js';
import { handleStopSignals } from './signals.js';
import { bindError, StartError } from './start-errors.js';
import { nodeTooOld } from './node-version.js';
import { gatewayVersion } from './version.js';
import type { Logger } from 'pino';
import type { RunningGateway } from './runtime-types.js';

interface CommonArgs {
  'log-level'?: string;
  trace?: string[];
  'admin-port'?: string;
  port?: string[];
}

/** The flags serve and check-config share: they override the file (flags beat env beat file). */
function withOverrideFlags<T>(y: Argv<T>) {
  return y
    .option('log-level', { type: 'string', describe: `Log level: ${LOG_LEVELS.join(', ')}`, requiresArg: true })
    .option('trace', {
      type: 'string',
      describe: 'Print every connection\'s bytes in and out, and bytes that end no frame; a value filters: nick=<nick>, ip=<address>, listener=<name> (repeatable)',
      coerce: (v: string | string[]) => [v].flat(),
    })
    .option('admin-port', { type: 'string', describe: 'Admin HTTP port', requiresArg: true })
    .option('port', {
      type: 'string',
      describe: 'Listener port as <listener>=<port>; repeatable',
      requiresArg: true,
      coerce: (v: string | string[]) => [v].flat(),
    });
}

function overridesFrom(args: CommonArgs): ConfigOverrides {
  return { env: process.env, logLevel: args['log-level'], trace: args.trace, adminPort: args['admin-port'], ports: args.port };
}

const DEFAULT_CONFIG = 'config/gateway.yaml';

/** How to name the config file, in the words of the command that reads it (a missing file's hint). */
export function missingHint(command: 'serve' | 'check-config', file: string): string {
  if (command === 'check-config') return 'name the file to check: chat-gateway check-config FILE';
  if (file !== DEFAULT_CONFIG) return 'pass the config file with --config FILE';
  return `serve reads ${DEFAULT_CONFIG} from the working directory (${process.cwd()}) unless --config FILE names another`;
}

/** Loads the config as `command` does (serve, check-config), or prints every problem to stderr; undefined when it is invalid. */
async function load(command: 'serve' | 'check-config', file: string, args: CommonArgs): Promise<GatewayConfig | undefined> {
  try {
    return await loadConfig(resolve(process.cwd(), file), overridesFrom(args), { missingHint: missingHint(command, file) });
  } catch (err) {
    if (err instanceof DialectLoadError) {
      process.stderr.write(`cannot load the installed dialects: ${err.message}\n`);
      process.exitCode = 1;
      return undefined;
    }
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`invalid config ${file} (${err.errors.length} problem${err.errors.length === 1 ? '' : 's'}):\n`);
    for (const line of formatIssues(err.errors)) process.stderr.write(`${line}\n`);
    process.exitCode = 1;
    return undefined;
  }
}

/** `check-config FILE`: validates as serve would load it, then says what it would start. */
async function checkConfig(file: string, args: CommonArgs): Promise<void> {
  const cfg = await load('check-config', file, args);
  if (!cfg) return;
  const over = (l: GatewayConfig['listeners'][number]) => (l.transport === 'tcp' ? '' : ` over ${l.transport}${l.path === undefined ? '' : ` ${l.path}`}`);
  const listeners = cfg.listeners.map((l) => `${l.name} (${l.dialect}${over(l)}) ${l.host}:${l.port}`).join(', ');
  const admin = cfg.admin.enabled ? `admin ${cfg.admin.host}:${cfg.admin.port}` : 'admin off';
  // The default back end goes unsaid; Redis is named, password hidden (check-config does not connect to it).
  const backend = cfg.backend.type === 'redis' ? `; backend redis ${redactUrl(cfg.backend.url)} prefix ${cfg.backend.keyPrefix}` : '';
  const node = cfg.node.id === undefined ? '' : `; node ${cfg.node.id}`;
  const bots = cfg.bots.length > 0 ? `; bots: ${cfg.bots.join(', ')}` : '';
  process.stdout.write(`ok: ${cfg.listeners.length} listener${cfg.listeners.length === 1 ? '' : 's'}: ${listeners}; ${admin}${backend}${node}${bots}\n`);
}

/** `reload`: asks the gateway that serves this config file to reload it, through its admin port (POST /reload). */
async function reloadCommand(file: string, args: CommonArgs): Promise<void> {
  const cfg = await load('serve', file, args);
  if (!cfg) return;
  if (!cfg.admin.enabled) {
    process.stderr.write(`the admin server is off in ${file}: send the gateway SIGHUP instead (kill -HUP <pid>; systemctl reload chat-gateway)\n`);
    process.exitCode = 1;
    return;
  }
  const host = cfg.admin.host === '0.0.0.0' || cfg.admin.host === '::' ? '127.0.0.1' : cfg.admin.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${cfg.admin.port}/reload`;
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: cfg.admin.token === undefined ? {} : { Authorization: `Bearer ${cfg.admin.token}` } });
  } catch (err) {
    process.stderr.write(`no gateway answers at ${url} (${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message}): is it running with this config?\n`);
    process.exitCode = 1;
    return;
  }
  const body = await res.text();
  let report: ReloadReport;
  try {
    report = JSON.parse(body) as ReloadReport;
  } catch {
    process.stderr.write(`reload failed: ${res.status} ${body.trim()}\n`);
    process.exitCode = 1;
    return;
  }
  if (!report.ok) {
    process.stderr.write(`reload refused, the running config is kept: ${report.error}\n${(report.problems ?? []).map((p) => `  ${p}\n`).join('')}`);
    process.exitCode = 1;
    return;
  }
  const changes = report.changes.length > 0 ? report.changes.map((c) => `  ${c}\n`).join('') : '  nothing changed\n';
  const later = report.restartNeeded.length > 0 ? `changed but applied only at the next start: ${report.restartNeeded.join(', ')}\n` : '';
  process.stdout.write(`reloaded ${file}:\n${changes}${later}`);
}

/** `serve`: config, logger, metrics, gateway, admin; then waits for SIGTERM/SIGINT (DESIGN.md "Operating"). */
async function serve(file: string, args: CommonArgs): Promise<void> {
  const reloader = new Reloader(file, () => loadConfig(resolve(process.cwd(), file), overridesFrom(args)));
  const cfg = await load('serve', file, args);
  if (!cfg) return;
  const log = createLogger(cfg.log);
  const { metrics, registry } = createMetrics();

  let gw: RunningGateway;
  try {
    gw = await startGateway(cfg, { log, metrics });
  } catch (err) {
    failedStart(err, log, 'could not start the gateway');
  }
  reloader.ready(gw, log);
  let admin: AdminServer | undefined;
  // Handlers go in before anything announces readiness: a signal that lands between the
  // "ready" line and its handler would otherwise kill the process without a goodbye.
  handleStopSignals(cfg, gw, () => admin, log);
  if (cfg.admin.enabled) {
    try {
      // Imported here: with admin off, its HTTP server, status page and live trace (ws) are never loaded.
      const { startAdmin } = await import('./admin.js');
      admin = await startAdmin({ ...cfg.admin, reload: () => reloader.reload('POST /reload') }, gw, registry, log.child({ component: 'admin' }));
    } catch (err) {
      await gw.shutdown();
      failedStart(bindError(err, { admin: true, ...cfg.admin, avoid: cfg.listeners.map((l) => l.port) }) ?? err, log, 'could not start the admin server');
    }
  }
  log.info(
    { listeners: gw.listeners.map((l) => ({ name: l.name, dialect: l.dialect, host: l.host, port: l.port })), adminPort: admin?.port ?? null, config: file },
    'chat-gateway ready',
  );
}

/** Exits 1: a StartError in its one line on stderr (the fix is in it), anything else logged with its stack. */
function failedStart(err: unknown, log: Logger, what: string): never {
  if (err instanceof StartError) process.stderr.write(`${err.message}\n`);
  else log.fatal({ err }, what);
  process.exit(1);
}

/** The installed dialects for --help; a broken dialect package must not hide the help. */
async function installedNames(): Promise<string> {
  try {
    return (await installedDialectNames()).join(', ') || 'none';
  } catch (err) {
    return `none loadable (${(err as Error).message})`;
  }
}

/** Runs the chat-gateway CLI on the given arguments (without node and script). */
export async function main(argv: string[] = hideBin(process.argv)): Promise<void> {
  // Before anything else: on an older Node the first sign would be a crash deep inside a dialect.
  const tooOld = nodeTooOld();
  if (tooOld) {
    process.stderr.write(`${tooOld}\n`);
    process.exit(1);
  }
  const cli = yargs(argv)
    .scriptName('chat-gateway')
    .usage(`$0 [command] [options]\n\nChat gateway for every installed dialect: ${await installedNames()}.`)
    .command(
      ['serve', '$0'],
      'Start every listener in the config and the admin HTTP server',
      (y) => withOverrideFlags(y).option('config', { type: 'string', default: DEFAULT_CONFIG, describe: 'Config file (YAML)', requiresArg: true }),
      (args) => serve(args.config, args),
    )
    .command(
      'check-config <file>',
      'Validate a config file as serve would load it, and exit',
      (y) => withOverrideFlags(y).positional('file', { type: 'string', describe: 'The YAML config file to check', demandOption: true }),
      (args) => checkConfig(args.file, args),
    )
    .command(
      'reload',
      'Ask the running gateway to reload its config file (as SIGHUP does), through its admin port',
      (y) => withOverrideFlags(y).option('config', { type: 'string', default: DEFAULT_CONFIG, describe: 'The config file the gateway serves', requiresArg: true }),
      (args) => reloadCommand(args.config, args),
    )
    .command(probeCommand)
    .command(clientCommand)
    .example('$0', 'serve config/gateway.yaml')
    .example('$0 --config my.yaml --log-level debug', 'serve another file, more verbose')
    .example('$0 --trace', 'print every connection\'s bytes in and out')
    .example('$0 --trace nick=alice --trace listener=sup', 'only alice, on the sup listener')
    .example('$0 --port psu=2323 --admin-port 9090', 'move a listener and the admin server')
    .example('CHAT_GATEWAY_PORT_PSU=2323 $0', 'the same through the environment')
    .example('$0 check-config my.yaml', 'validate a config file and exit')
    .example('$0 reload', 'apply an edited config/gateway.yaml without a restart (or: kill -HUP <pid>)')
    .example('$0 probe sup 127.0.0.1:3000', 'check a Sup server (yours) against the spec')
    .example('$0 client psu localhost:23456', 'chat in PSU from this terminal')
    .epilogue(
      [
        'Overrides: flags beat environment beat the file. Environment: CHAT_GATEWAY_LOG_LEVEL,',
        'CHAT_GATEWAY_ADMIN_PORT, CHAT_GATEWAY_PORT_<LISTENER> (name uppercased, - as _),',
        'CHAT_GATEWAY_REDIS_URL (the Redis server of `backend: { type: redis }`), CHAT_GATEWAY_NODE_ID.',
        'Admin HTTP: /healthz, /metrics, /status, /status.html (the status page). Configuration reference: config/README.md.',
      ].join('\n'),
    )
    .strict()
    .help()
    .alias('h', 'help')
    .version(gatewayVersion())
    .wrap(Math.min(100, process.stdout.columns ?? 100));
  await cli.parseAsync();
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  main().catch((err: unknown) => {
    process.stderr.write(`chat-gateway: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}

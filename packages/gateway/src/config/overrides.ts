import { redisUrlIssue, type BackendSection } from './backend.js';
import type { ConfigIssue } from './errors.js';
import { closest, didYouMean } from './suggest.js';
import type { LogLevel } from './types.js';

/**
 * What may override the file (DESIGN.md "Gateway": config file + env +
 * flags). Flags beat environment beats file. `env` is explicit so that tests
 * and tools never pick up the caller's environment by accident.
 */
export interface ConfigOverrides {
  /** Environment to read CHAT_GATEWAY_* variables from (loadConfig defaults it to process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** --log-level */
  logLevel?: string;
  /** --trace: every frame logged; forces level trace. */
  trace?: boolean;
  /** --admin-port */
  adminPort?: number | string;
  /** --port <listener>=<port>, repeatable; or a name -> port record. */
  ports?: readonly string[] | Readonly<Record<string, number | string>>;
}

export const ENV_LOG_LEVEL = 'CHAT_GATEWAY_LOG_LEVEL';
export const ENV_ADMIN_PORT = 'CHAT_GATEWAY_ADMIN_PORT';
export const ENV_ADMIN_HOST = 'CHAT_GATEWAY_ADMIN_HOST';
export const ENV_ADMIN_TOKEN = 'CHAT_GATEWAY_ADMIN_TOKEN';
export const ENV_PORT_PREFIX = 'CHAT_GATEWAY_PORT_';
export const ENV_REDIS_URL = 'CHAT_GATEWAY_REDIS_URL';
export const ENV_NODE_ID = 'CHAT_GATEWAY_NODE_ID';

/** What a node id may be: the schema's `node.id` pattern (config/gateway.schema.json; a test holds them equal). */
export const NODE_ID_PATTERN = /^[A-Za-z0-9_.-]{1,32}$/;

export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** The environment variable that overrides a listener's port: CHAT_GATEWAY_PORT_<NAME uppercased, - → _>. */
export function portEnvName(listenerName: string): string {
  return ENV_PORT_PREFIX + listenerName.toUpperCase().replace(/-/g, '_');
}

/** The part of a config overrides touch. */
export interface Overridable {
  node: { id?: string };
  log: { level: LogLevel; trace: boolean };
  admin: { port: number; host: string; token?: string };
  backend: BackendSection;
  listeners: { name: string; port: number }[];
}

/** Applies env, then flags, to a validated config in place; returns what was wrong with them. */
export function applyOverrides(cfg: Overridable, o: ConfigOverrides): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const env = o.env ?? {};
  const byName = new Map(cfg.listeners.map((l) => [l.name, l]));
  const byEnv = new Map(cfg.listeners.map((l) => [portEnvName(l.name), l]));
  const names = () => [...byName.keys()].join(', ') || '(none)';

  // Environment first, so flags can beat it.
  const envLevel = value(env[ENV_LOG_LEVEL]);
  if (envLevel !== undefined) setLevel(cfg, envLevel, ENV_LOG_LEVEL, issues);
  const envAdmin = value(env[ENV_ADMIN_PORT]);
  if (envAdmin !== undefined) setPort(envAdmin, ENV_ADMIN_PORT, issues, (p) => (cfg.admin.port = p));
  // One file for every node of a cluster: each process says which node it is (docker-compose.yml, profile cluster).
  const envNode = value(env[ENV_NODE_ID]);
  if (envNode !== undefined) {
    if (NODE_ID_PATTERN.test(envNode)) cfg.node.id = envNode;
    else issues.push({ path: ENV_NODE_ID, message: `must be 1-32 characters of A-Z a-z 0-9 _ . -, got ${JSON.stringify(envNode)}` });
  }
  const envRedis = value(env[ENV_REDIS_URL]);
  if (envRedis !== undefined) setRedisUrl(cfg, envRedis, issues);
  // The container image binds the admin server to its own interfaces this way (DESIGN.md "Security"); a token can stay out of the file.
  const envHost = value(env[ENV_ADMIN_HOST]);
  if (envHost !== undefined) cfg.admin.host = envHost;
  const envToken = value(env[ENV_ADMIN_TOKEN]);
  if (envToken !== undefined) {
    if (/^[\x21-\x7e]{8,}$/.test(envToken)) cfg.admin.token = envToken;
    else issues.push({ path: ENV_ADMIN_TOKEN, message: 'must be at least 8 printable ASCII characters, no spaces' });
  }
  for (const key of Object.keys(env).sort()) {
    if (!key.startsWith(ENV_PORT_PREFIX)) continue;
    const v = value(env[key]);
    if (v === undefined) continue;
    const listener = byEnv.get(key);
    if (!listener) {
      // Compared without the prefix every variable shares, or every name would look close.
      const near = closest(key.slice(ENV_PORT_PREFIX.length), [...byEnv.keys()].map((k) => k.slice(ENV_PORT_PREFIX.length)));
      const hint = near === undefined ? '' : ` did you mean \`${ENV_PORT_PREFIX}${near}\`?`;
      issues.push({ path: key, message: `no listener is named by this variable;${hint} listeners: ${names()} (variables: ${[...byEnv.keys()].join(', ') || '(none)'})` });
      continue;
    }
    setPort(v, key, issues, (p) => (listener.port = p));
  }

  if (o.logLevel !== undefined) setLevel(cfg, o.logLevel, '--log-level', issues);
  if (o.trace) cfg.log.trace = true;
  if (o.adminPort !== undefined) setPort(o.adminPort, '--admin-port', issues, (p) => (cfg.admin.port = p));
  for (const [name, port, raw] of portFlags(o.ports)) {
    if (name === undefined) {
      issues.push({ path: '--port', message: `expected <listener>=<port> (e.g. --port psu=2323), got ${JSON.stringify(raw)}` });
      continue;
    }
    const listener = byName.get(name);
    if (!listener) {
      issues.push({ path: `--port ${name}`, message: `no listener named \`${name}\`;${didYouMean(name, byName.keys())} listeners: ${names()}` });
      continue;
    }
    setPort(port, `--port ${name}`, issues, (p) => (listener.port = p));
  }

  // --trace (or log.trace in the file) means every frame: the runtime logs frames at level trace.
  if (cfg.log.trace) cfg.log.level = 'trace';
  return issues;
}

// Empty variables count as unset, as `FOO=` in a compose file means "no value".
function value(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function setLevel(cfg: Overridable, raw: string, path: string, issues: ConfigIssue[]): void {
  const level = raw.trim().toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(level)) cfg.log.level = level as LogLevel;
  else issues.push({ path, message: `must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(raw)}${trailing(didYouMean(level, LOG_LEVELS))}` });
}

/** A hint appended at the end of a message: `; did you mean ...?`, or nothing. */
function trailing(hint: string): string {
  return hint === '' ? '' : `;${hint}`;
}

// A URL for a back end that is not Redis would be silently unused: said instead, with the fix.
function setRedisUrl(cfg: Overridable, url: string, issues: ConfigIssue[]): void {
  if (cfg.backend.type !== 'redis') {
    issues.push({ path: ENV_REDIS_URL, message: `is set, but backend.type is ${cfg.backend.type}; set \`backend: { type: redis }\` in the config file, or unset the variable` });
    return;
  }
  const issue = redisUrlIssue(ENV_REDIS_URL, url);
  if (issue) issues.push(issue);
  else cfg.backend.url = url;
}

function setPort(raw: number | string, path: string, issues: ConfigIssue[], set: (port: number) => void): void {
  const port = parsePort(raw);
  if (port === undefined) issues.push({ path, message: `must be an integer between 0 and 65535, got ${JSON.stringify(raw)}` });
  else set(port);
}

/** A TCP port from a number or decimal string; undefined when it is not one. */
export function parsePort(raw: number | string): number | undefined {
  const n = typeof raw === 'number' ? raw : /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined;
}

function portFlags(ports: ConfigOverrides['ports']): [string | undefined, number | string, unknown][] {
  if (ports === undefined) return [];
  if (Array.isArray(ports)) {
    return (ports as readonly string[]).map((raw) => {
      const m = /^\s*([^=\s]+)\s*=\s*(.*)$/.exec(String(raw));
      return m ? [m[1], m[2]!, raw] : [undefined, '', raw];
    });
  }
  return Object.entries(ports as Record<string, number | string>).map(([name, port]) => [name, port, port]);
}

#!/usr/bin/env node
// The Docker HEALTHCHECK: GET /healthz on the admin port the gateway's config names, exit 0 on 200.
// Plain JavaScript with one dependency (yaml), no tsx and no dialect discovery, because it runs every
// few seconds: it reads only the `admin` section of the file `serve` reads (--config FILE, default
// config/gateway.yaml from the working directory), CHAT_GATEWAY_ADMIN_PORT beating it as it does for
// serve, and the schema's defaults for what the file leaves out. A port given to serve as
// --admin-port is not visible here: set CHAT_GATEWAY_ADMIN_PORT instead.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const SCHEMA = new URL('../../../config/gateway.schema.json', import.meta.url);
const TIMEOUT_MS = 2500;

/** Prints why the check failed, in one line (docker inspect shows it), and exits 1. */
function unhealthy(why) {
  process.stderr.write(`unhealthy: ${why}\n`);
  process.exit(1);
}

/** The admin section as serve would see it: file, then environment, over the schema's defaults. */
function adminConfig(file, env) {
  const props = JSON.parse(readFileSync(SCHEMA, 'utf8')).properties.admin.properties;
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    unhealthy(`cannot read ${file} (${err.code ?? err.message}); pass the gateway's config with --config FILE`);
  }
  const admin = { enabled: props.enabled.default, host: props.host.default, port: props.port.default, ...(parse(text)?.admin ?? {}) };
  const override = env.CHAT_GATEWAY_ADMIN_PORT?.trim();
  if (override) admin.port = Number(override);
  return admin;
}

function url({ host, port }) {
  // A wildcard bind is reached on loopback; an IPv6 literal needs brackets.
  const target = host === '0.0.0.0' || host === '::' || host === '*' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${target}:${port}/healthz`;
}

const args = process.argv.slice(2);
const at = args.indexOf('--config');
const file = at >= 0 ? args[at + 1] : 'config/gateway.yaml';
if (!file) unhealthy('--config needs a file');
const admin = adminConfig(file, process.env);
if (!admin.enabled) unhealthy(`the admin server is off (admin.enabled: false in ${file}): there is no /healthz to ask; enable it or disable the health check`);
if (!Number.isInteger(admin.port) || admin.port <= 0 || admin.port > 65535) unhealthy(`admin port ${JSON.stringify(admin.port)} cannot be asked (port 0 picks a random one: give the admin server a fixed port)`);
const target = url(admin);
// A timer of our own, not AbortSignal.timeout: that one is unref'd, and a fetch whose socket is hung
// up on at once can stay pending with nothing else keeping the process alive (exit 13, no word).
const timer = setTimeout(() => unhealthy(`${target}: no answer within ${TIMEOUT_MS} ms`), TIMEOUT_MS);
try {
  const res = await fetch(target);
  const body = (await res.text()).trim();
  if (res.status !== 200) unhealthy(`${target} answered ${res.status} ${body}`);
  process.stdout.write(`healthy: ${target} ${body}\n`);
} catch (err) {
  unhealthy(`${target}: ${err.cause?.code ?? err.name ?? err.message}`);
} finally {
  clearTimeout(timer);
}

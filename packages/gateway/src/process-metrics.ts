import { readdir } from 'node:fs/promises';
import { Gauge, collectDefaultMetrics, type Registry } from 'prom-client';

// prom-client's process metrics whose collection passes over every socket on the event loop at each
// scrape (measured with 10,000 idle connections: a scrape held every client up for 20 to 39 ms, 4 ms
// without them): nodejs_active_handles and _resources (an array of every handle, grouped by name;
// chat_gateway_connections counts the sockets) and process_open_fds (a synchronous readdir of
// /proc/self/fd, made again below and read off the loop).
const PER_CONNECTION = ['nodejs_active_handles', 'nodejs_active_handles_total', 'nodejs_active_resources', 'nodejs_active_resources_total', 'process_open_fds'];

/** prom-client's default process metrics on `registry`, less those whose scrape costs the event loop a pass over every connection. */
export function processMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  for (const name of PER_CONNECTION) registry.removeSingleMetric(name);
  if (process.platform !== 'linux') return;
  new Gauge({
    name: 'process_open_fds',
    help: 'Number of open file descriptors.',
    registers: [registry],
    // Listed in libuv's thread pool: the loop goes on meanwhile and only counts the names.
    async collect() {
      try {
        // Less the descriptor the listing itself had open.
        this.set((await readdir('/proc/self/fd')).length - 1);
      } catch {
        // No /proc here: the gauge stays unset.
      }
    },
  });
}

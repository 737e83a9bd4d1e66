import { ROLES } from './roles.js';
import type { WorkerMessage } from './workers.js';

// One attacker process (bench/soak/workers.ts): waits for its role, runs it, reports, exits.
const inbox: WorkerMessage[] = [];
const waiting: ((m: WorkerMessage) => void)[] = [];
const send = (m: WorkerMessage): void => void process.send?.(m);

process.on('message', (m: WorkerMessage) => {
  if (m.type === 'start') {
    const role = ROLES[String(m.role)];
    if (!role) return send({ type: 'failed', error: `no role ${String(m.role)}` });
    const next = (): Promise<WorkerMessage> => {
      const queued = inbox.shift();
      return queued ? Promise.resolve(queued) : new Promise((resolve) => waiting.push(resolve));
    };
    role({ args: m.args, send, next }).then(
      (result) => {
        send({ type: 'result', result });
        process.exit(0);
      },
      (err: unknown) => {
        send({ type: 'failed', error: (err as Error).stack ?? String(err) });
        process.exit(1);
      },
    );
    return;
  }
  const w = waiting.shift();
  if (w) w(m);
  else inbox.push(m);
});
process.on('disconnect', () => process.exit(0));

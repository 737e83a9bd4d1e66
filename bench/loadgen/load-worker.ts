import { runLoad } from './driver.js';
import { fromWire, type LoadMessage, type WireSpec } from './split.js';

// One process of a split load (split.ts): sets up its part's clients, says so, starts its traffic
// when told, reports its window and its result, exits.
const send = (m: LoadMessage): void => void process.send?.(m);
let go: () => void = () => {};
const told = new Promise<void>((resolve) => (go = resolve));

// A room split over processes: what this process's members are to receive, once every process said what it sent.
let expect: (n: number) => void = () => {};

process.on('message', (m: { type: 'spec'; spec: WireSpec } | { type: 'go' } | { type: 'expect'; expected: number }) => {
  if (m.type === 'go') return go();
  if (m.type === 'expect') return expect(m.expected);
  const spec = m.spec;
  runLoad({
    ...spec,
    senders: spec.senders.map(fromWire),
    receivers: spec.receivers.map(fromWire),
    onWindow: (phase) => send({ type: 'window', phase }),
    beforeDrive: () => {
      send({ type: 'ready' });
      return told;
    },
    ...(spec.mode === 'room'
      ? {
          afterStop: (sent: number) =>
            new Promise<number>((resolve) => {
              expect = resolve;
              send({ type: 'sent', sent });
            }),
        }
      : {}),
  }).then(
    // Exit once the message is out: an exit right after send() can lose it.
    ({ histogram, ...result }) => void process.send?.({ type: 'result', result, histogram: histogram!.toWire() } satisfies LoadMessage, undefined, undefined, () => process.exit(0)),
    (err: unknown) => void process.send?.({ type: 'failed', error: (err as Error).stack ?? String(err) } satisfies LoadMessage, undefined, undefined, () => process.exit(1)),
  );
});
process.on('disconnect', () => process.exit(0));

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hub, type Backend, type Directory } from '@chat-gateway/core';
import { FAST_CLUSTER, LoopCluster, online, type TestPort } from '@chat-gateway/core/conformance';

// The Hub remembers where other nodes' users are (core's Routes): a DM to a user it reached
// before leaves without a Directory lookup, and a remembered place that is stale costs one
// more lookup, never a lost message or a wrong "not online".

/** A back end whose Directory counts getUser calls. */
function counting(backend: Backend): { backend: Backend; lookups: () => number } {
  let n = 0;
  const directory = new Proxy(backend.directory, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver) as unknown;
      if (key === 'getUser') return (...args: Parameters<Directory['getUser']>) => (n++, target.getUser(...args));
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { backend: { ...backend, directory }, lookups: () => n };
}

/** Started Hubs n1, n2... on the given back ends, closed after the test. */
async function hubs(t: { after(fn: () => Promise<void>): void }, backends: Backend[]): Promise<Hub[]> {
  const out: Hub[] = [];
  for (const [i, backend] of backends.entries()) {
    const hub = new Hub({ backend, nodeId: `n${i + 1}`, cluster: FAST_CLUSTER });
    await hub.start();
    out.push(hub);
  }
  t.after(async () => void (await Promise.all(out.map((h) => h.close()))));
  return out;
}

const got = (p: TestPort, text: string) => p.waitFor((e) => e.type === 'message.direct' && e.text === text);

test('a DM to a user of another node already reached leaves without a Directory lookup', async (t) => {
  const loop = new LoopCluster();
  const a = counting(loop.backend());
  const [ha, hb] = await hubs(t, [a.backend, loop.backend()]);
  const alice = await online(ha!, 'alice');
  const bob = await online(hb!, 'bob');
  // Once n1 has heard bob come online, what it learns of him stays true until it hears otherwise.
  await alice.waitFor((e) => e.type === 'user.online' && e.nick === 'bob');
  assert.equal((await ha!.sendDirect(alice, 'bob', 'one')).ok, true);
  const before = a.lookups();
  for (const text of ['two', 'three']) assert.equal((await ha!.sendDirect(alice, 'BOB', text)).ok, true);
  assert.equal(a.lookups(), before, 'no lookup for a user reached before');
  await got(bob, 'three');
});

test('a user remembered on one node who came back on another is reached there: one more lookup, no "not online"', async (t) => {
  const loop = new LoopCluster();
  const [ha, hb, hc] = await hubs(t, [loop.backend(), loop.backend(), loop.backend()]);
  const alice = await online(ha!, 'alice');
  const bob = await online(hb!, 'bob');
  assert.equal((await ha!.sendDirect(alice, 'bob', 'before')).ok, true);
  await got(bob, 'before');
  // n1 hears of it late: bob's departure and return are still on their way when alice writes.
  loop.delay('n1', 100);
  await hb!.unregister(bob);
  const back = await online(hc!, 'bob');
  const r = await ha!.sendDirect(alice, 'bob', 'after');
  assert.deepEqual(r.ok && r.value.to, 'bob', JSON.stringify(r));
  await got(back, 'after');
});

test('a remembered user who left for good is "not online"', async (t) => {
  const loop = new LoopCluster();
  const [ha, hb] = await hubs(t, [loop.backend(), loop.backend()]);
  const alice = await online(ha!, 'alice');
  const bob = await online(hb!, 'bob');
  assert.equal((await ha!.sendDirect(alice, 'bob', 'hi')).ok, true);
  loop.delay('n1', 100);
  await hb!.unregister(bob);
  assert.deepEqual(await ha!.sendDirect(alice, 'bob', 'there?'), { ok: false, code: 'NO_SUCH_USER', detail: 'bob' });
});

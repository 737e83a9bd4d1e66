import { onlineAs, openDriver, startTestGateway, type ChatDriver, type TestGateway, type TestGatewayOptions } from '@chat-gateway/testkit';
import { Scene } from './scene.js';

/** What a cross-dialect test works with: one gateway, and the only ways its clients connect. */
export interface Setup {
  tg: TestGateway;
  /** A client of the dialect, connected and not registered; closed after the test. */
  open(dialect: string): Promise<ChatDriver>;
  /** A client of the dialect, registered as `nick` (a refusal fails the test); closed after the test. */
  online(dialect: string, nick: string): Promise<ChatDriver>;
  /** A scene on this gateway: users brought online through `online`, every step's frames asserted. */
  scene(): Scene;
}

/**
 * A gateway with every installed dialect on ephemeral ports, stopped after
 * the test. Every suite connects its clients through `open` and `online`
 * only, so that where a client connects is decided here.
 */
export async function setup(t: { after(fn: () => unknown): void }, opts: TestGatewayOptions = {}): Promise<Setup> {
  const tg = await startTestGateway(opts);
  t.after(() => tg.stop());
  const closing = (d: ChatDriver) => {
    t.after(() => d.close());
    return d;
  };
  const online = async (dialect: string, nick: string) => closing(await onlineAs(tg, dialect, nick));
  return {
    tg,
    open: async (dialect) => closing(await openDriver(tg, dialect)),
    online,
    scene: () => new Scene(online, opts.rooms ?? ['general']),
  };
}

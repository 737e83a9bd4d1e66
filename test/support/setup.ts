import { onlineAs, startTestGateway, type ChatDriver, type TestGateway } from '@chat-gateway/testkit';

/** A gateway with every dialect on ephemeral ports, and a way to bring users online; all closed after the test. */
export async function setup(t: { after(fn: () => unknown): void }): Promise<{ tg: TestGateway; online(dialect: string, nick: string): Promise<ChatDriver> }> {
  const tg = await startTestGateway();
  t.after(() => tg.stop());
  return {
    tg,
    async online(dialect, nick) {
      const d = await onlineAs(tg, dialect, nick);
      t.after(() => d.close());
      return d;
    },
  };
}

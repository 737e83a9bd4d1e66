import type { GatewayConfig, ListenerConfig } from './config/types.js';
import type { Listener } from './listener.js';
import type { Endpoint, ListenerInfo } from './runtime-types.js';
import { bindError } from './start-errors.js';

/** A listener that is bound: its config, bound address and the URL clients use. */
export interface Bound {
  listener: Listener;
  config: ListenerConfig;
  info: ListenerInfo;
  endpoint: Endpoint;
}

/**
 * The gateway's running listeners by name, in config order. Start-up and
 * reload both bind through here, so a bind failure reads the same either way
 * (the one-line start error naming the listener and the --port fix).
 */
export class ListenerSet {
  private bound: Bound[] = [];

  /** `make` builds a listener with the limits of the gateway config it belongs to. */
  constructor(private readonly make: (config: ListenerConfig, gateway: GatewayConfig) => Listener) {}

  /** Creates and binds a listener of `gateway` without registering it (reload registers it once everything bound). */
  async bind(config: ListenerConfig, gateway: GatewayConfig): Promise<Bound> {
    const listener = this.make(config, gateway);
    // Ports the suggested fix must not name: every configured one.
    const avoid = [...gateway.listeners.map((l) => l.port), gateway.admin.port];
    try {
      const info = await listener.listen();
      return { listener, config, info, endpoint: { name: config.name, transport: config.transport, url: listener.url(info.port), page: config.page === true } };
    } catch (err) {
      await listener.close().catch(() => {});
      throw bindError(err, { listener: config.name, host: config.host, port: config.port, avoid }) ?? err;
    }
  }

  /** Binds and registers, for start-up. */
  async open(config: ListenerConfig, gateway: GatewayConfig): Promise<Bound> {
    const b = await this.bind(config, gateway);
    this.bound.push(b);
    return b;
  }

  /** Replaces the whole set (reload's commit), ordered as `order` names them. */
  replace(next: readonly Bound[], order: readonly string[]): void {
    this.bound = [...next].sort((a, b) => order.indexOf(a.config.name) - order.indexOf(b.config.name));
  }

  get(name: string): Bound | undefined {
    return this.bound.find((b) => b.config.name === name);
  }

  get all(): readonly Bound[] {
    return this.bound;
  }

  get infos(): ListenerInfo[] {
    return this.bound.map((b) => b.info);
  }

  get endpoints(): Endpoint[] {
    return this.bound.map((b) => b.endpoint);
  }

  /** Stops every listener accepting; their connections are the caller's. */
  async closeAll(): Promise<void> {
    await Promise.all(this.bound.map((b) => b.listener.close()));
  }
}

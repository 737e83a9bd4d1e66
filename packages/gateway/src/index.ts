export { startGateway, SHUTDOWN_MESSAGE } from './gateway.js';
export { DIALECTS } from './dialects.js';
export type { GatewayConfig, ListenerConfig, LimitsConfig, FloodConfig, LogLevel } from './config/types.js';
export type { RunningGateway, GatewayMetrics, GatewayStatus, ListenerInfo } from './runtime-types.js';

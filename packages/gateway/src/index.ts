export { startGateway, createBackend, SHUTDOWN_MESSAGE } from './gateway.js';
export { discoverDialects, findDialectPackages, importDialectExport, checkDialect, gatewaySearchPaths, DialectLoadError, DIALECT_MARKER, type DialectPackage, type DiscoverOptions } from './registry.js';
export type { GatewayConfig, BackendConfig, ListenerConfig, LimitsConfig, FloodConfig, LogLevel } from './config/types.js';
export type { RunningGateway, GatewayMetrics, ListenerMetrics, GatewayStatus, ListenerInfo } from './runtime-types.js';
export { loadConfig, parseConfig, ConfigError, type ConfigOverrides, type ConfigIssue } from './config/load.js';
export { createMetrics, METRIC_NAMES } from './metrics.js';
export { startAdmin, type AdminServer } from './admin.js';
export { createLogger } from './logging.js';

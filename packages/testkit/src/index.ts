export { connect, WireClient, decompressIfNeeded } from './wire.js';
export { startTestGateway, testConfig, type TestGateway, type TestGatewayOptions } from './gateway.js';
export * from './drivers/index.js';
export { startTestCluster, type TestCluster } from './cluster.js';

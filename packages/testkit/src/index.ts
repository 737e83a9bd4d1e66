export { connect, WireClient, decompressIfNeeded } from './wire.js';
export { startTestGateway, testConfig, TEST_LIMITS, type TestGateway, type TestGatewayOptions } from './gateway.js';
export * from './drivers/index.js';

export { connect, WireClient, decompressIfNeeded, DriverBase } from '@chat-gateway/core/testing';
export { startTestGateway, testConfig, type TestGateway, type TestGatewayOptions } from './gateway.js';
export * from './drivers/index.js';

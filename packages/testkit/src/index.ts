export { connect, WireClient, decompressIfNeeded, DriverBase } from '@chat-gateway/core/testing';
export type { ChatDriver, Reply, Seen, SeenKind, DialectTesting, DialectContract, Peer, RoomView, RoomInfo } from '@chat-gateway/core/testing';
export { metricValue, startTestGateway, testConfig, type TestGateway, type TestGatewayOptions, type TestListener } from './gateway.js';
export { DIALECT_TESTING, dialectTesting, openDriver, onlineAs } from './dialects.js';
export { startTestCluster, type TestCluster } from './cluster.js';
export { WsClient, type WsMessage } from './ws-client.js';
export { selfSignedCert, type TestCert } from './tls.js';
export { floodUntilCutOff, slowReaderTail } from './slow-reader.js';

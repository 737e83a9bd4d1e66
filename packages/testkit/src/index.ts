export { connect, WireClient, decompressIfNeeded, DriverBase, runProgram } from '@chat-gateway/core/testing';
export type { Ran, RunOptions, ChatDriver, Reply, Seen, SeenKind, DialectTesting, DialectContract, Peer, RoomView, RoomInfo } from '@chat-gateway/core/testing';
export { startTestGateway, testConfig, rawTestConfig, type TestGateway, type TestGatewayOptions, type TestListener } from './gateway.js';
export { DIALECT_TESTING, dialectTesting, openDriver, onlineAs, type Listeners } from './dialects.js';
export { startTestCluster, type TestCluster } from './cluster.js';
export { GatewayProcess, type GatewayProcessOptions } from './process.js';
export { WsClient, type WsMessage } from './ws-client.js';
export { connectTls, selfSignedCert, type TestCert } from './tls.js';
export { floodUntilCutOff, slowReaderTail } from './slow-reader.js';
// The probe, so that a dialect's own tests can run it against a gateway with that dialect's options changed.
export { runProbe, type CheckReport } from '@chat-gateway/gateway';
export { parsePrometheus, scrape, type PromText, type PromSample } from './prom.js';
export { fanoutBound, fanoutSizes, type FanoutSizes } from './fanout.js';

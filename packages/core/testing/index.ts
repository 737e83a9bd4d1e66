// Test machinery every dialect's tests share (`@chat-gateway/core/testing`): a raw TCP client,
// the driver base and types, the probe's data types, a program runner (README examples, the CLI). In no package's build, and never imported by
// the serving code: `chat-gateway probe` and `chat-gateway client` load the dialects' testing
// modules (which build on it) at run time, through the registry.
export { connect, WireClient, decompressIfNeeded } from './wire.js';
export { DriverBase } from './driver.js';
export { runProgram, type Ran, type RunOptions } from './run.js';
export type { ChatDriver, Reply, Seen, SeenKind } from './driver-types.js';
export {
  testFramerFixtures,
  emitted,
  fault,
  bytewise,
  splits,
  chunkings,
  assertEveryChunking,
  type FramerTable,
  type FramerFixture,
  type FramerCodec,
  type Emitted,
  type FaultOut,
} from './framer.js';
export { LINE_INJECTION } from './contract.js';
export type { DialectProbe, ProbeExpect, ProbeRequest } from './probe.js';
export type {
  DialectTesting,
  DialectContract,
  RoomsContract,
  InjectionRules,
  Listing,
  UserListScope,
  Peer,
  RoomView,
  RoomInfo,
} from './contract.js';

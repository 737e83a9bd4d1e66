import { after, before } from 'node:test';
import { backendConformance } from '@chat-gateway/core/conformance';
import { RedisServer, redisFixtures } from '../testing/index.js';

// One redis-server for this suite, on a port of its own; every test gets a fresh key prefix.
let server: RedisServer;
before(async () => (server = await RedisServer.start()));
after(() => server.stop());

// The same contract the in-process and multi-node test back ends pass (packages/core/conformance).
backendConformance('redis back end', 3, async () => redisFixtures(server)());

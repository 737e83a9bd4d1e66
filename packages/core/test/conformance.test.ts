import { backendConformance, loopFixture, memoryFixture } from '@chat-gateway/core/conformance';

// Both back ends core ships pass the same contract; the Redis back end runs it too.
backendConformance('in-process back end', 1, memoryFixture);
backendConformance('multi-node test back end', 3, loopFixture);

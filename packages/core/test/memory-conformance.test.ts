import { MemoryBus, MemoryDirectory } from '@chat-gateway/core';
import { busConformance, directoryConformance } from './conformance.js';

busConformance('MemoryBus', async () => new MemoryBus());
directoryConformance('MemoryDirectory', async () => new MemoryDirectory());

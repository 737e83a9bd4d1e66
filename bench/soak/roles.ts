import { amplifyRole } from './parts/amplify.js';
import { bombRole } from './parts/bombs.js';
import { churnRole } from './parts/churn.js';
import { fuzzRole } from './parts/fuzz.js';
import { comingsRole, slowRole } from './parts/slow.js';
import type { Role } from './workers.js';

/** Every attacker role an attacker process can run (bench/soak/worker.ts), by name. */
export const ROLES: Readonly<Record<string, Role>> = { fuzz: fuzzRole, amplify: amplifyRole, slow: slowRole, comings: comingsRole, bombs: bombRole, churn: churnRole };

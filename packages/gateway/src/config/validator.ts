import type { ValidateFunction } from 'ajv';
import { validateConfig } from './config-validator.generated.js';

/**
 * The config validator, compiled ahead of time from configSchema() with
 * createAjv() (schema.ts) into config-validator.generated.ts by
 * tools/validators.ts (`npm run gen:validators`; test/validators.test.ts fails
 * when it is stale). The schema names no dialect: the loader checks each
 * listener's against the dialects installed and says which those are.
 */
export function configValidator(): ValidateFunction {
  return validateConfig as unknown as ValidateFunction;
}

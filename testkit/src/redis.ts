/**
 * Redis for tests: a namespace no other run shares, and a Redis or a Redis Cluster of a test's own.
 * Clients from the service's factory and namespace clean-up: `@dudao/ingest-service/testing`.
 */
import { randomBytes } from 'node:crypto';

export * from './redis-cluster.ts';
export * from './redis-server.ts';

/** `dudao-test-<label>-<random>`: a namespace of its own for a test file, a service or a store. */
export const testNamespace = (label: string): string =>
  `dudao-test-${label}-${randomBytes(4).toString('hex')}`;

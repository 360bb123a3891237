/**
 * What every package's tests share: scratch databases on the backend the environment names, the
 * small known registry and a movable clock, event builders, and waiting for things that happen on
 * their own time. Imported apart: `@dudao/testkit/nightly-scenario` (three scripted days and the
 * values each ends with, worked out by hand) and `@dudao/testkit/redis` (test namespaces, a Redis
 * or a Redis Cluster of the test's own). It builds on `domain` and `db` only. A package's harness
 * that starts the package itself is that package's own, so no package depends on itself through its
 * tests: the scratch database is `@dudao/db/testing` (re-exported here), the service harness
 * `@dudao/ingest-service/testing`.
 */
export * from '@dudao/db/testing';
export * from './events.ts';
export * from './registry.ts';
export * from './wait.ts';

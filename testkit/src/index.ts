/**
 * What every package's tests share: scratch databases on the backend the environment names, the
 * small known registry and a movable clock, event builders, and waiting for things that happen on
 * their own time. Imported apart: `@dudao/testkit/nightly-scenario` (three scripted days and the
 * values each ends with, worked out by hand), and, since they load the service,
 * `@dudao/testkit/service` (a real service on a free port) and `@dudao/testkit/redis` (test
 * namespaces and clients, a Redis or a Redis Cluster of the test's own).
 */
export * from './database.ts';
export * from './events.ts';
export * from './registry.ts';
export * from './wait.ts';

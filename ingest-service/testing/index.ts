/**
 * The service's test support, for its own tests and for the tests of what runs it (scripts,
 * dashboard): `@dudao/ingest-service/testing`, as `@angular/core/testing` is Angular's. It lives
 * here, not in `@dudao/testkit`, because it starts this package: testkit stays below the service
 * (domain, db and Redis processes only), so no package depends on itself through its tests.
 */
export * from './redis.ts';
export * from './service.ts';
export * from './deployment.ts';

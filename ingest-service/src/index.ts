export { startServer, type StartOptions, type RunningServer } from './server.ts';
export { buildApp, type AppOptions, type DudaoApp } from './app.ts';
export {
  configFromEnv,
  type ServiceConfig,
  type ServiceLimits,
  DEFAULT_PORT,
  DEFAULT_HOST,
} from './config.ts';
export { createKey, revokeKey, listKeys, KEY_ROLES, type CreatedKey, type Principal } from './auth/keys.ts';
export { bootstrapKeys, type BootstrapKeys } from './auth/bootstrap.ts';
export { parseExpiry, EXPIRY_FORMAT } from './auth/expiry.ts';
export * from './live/index.ts';
export {
  createRedis,
  closeRedis,
  isRedisUnavailable,
  REDIS_POLICIES,
  type RedisPolicy,
} from './redis/connections.ts';
export * from './redis/keys.ts';
export { reconcileLiveStore, formatDrift, type Drift, type Reconciliation } from './ops/reconcile.ts';
export { DatabaseRunLock, RedisRunLock, openRunLock, type RunLock } from './ops/run-lock.ts';
export {
  NightlyScheduler,
  DEFAULT_NIGHTLY_CRON,
  type NightlyContext,
  type NightlyJob,
  type NightlyRequest,
  type NightlySummary,
} from './ops/scheduler.ts';
export {
  createUser,
  disableUser,
  listUsers,
  resetPassword,
  USER_ROLES,
  UserInputError,
  type UserRole,
} from './people/users.ts';

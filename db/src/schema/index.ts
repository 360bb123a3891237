export * from './registry.ts';
export * from './events.ts';
export * from './ledger.ts';
export * from './keys.ts';
export * from './rollups.ts';
export * from './people.ts';
export * from './plans.ts';
export * from './alerts.ts';

export * from './schema/index.ts';
export * from './client.ts';
export * from './queries/registry.ts';
export * from './queries/ingest.ts';
export * from './queries/read.ts';
export * from './queries/trends.ts';
export * from './queries/live-image.ts';
export * from './queries/rollups.ts';

/**
 * What every package's tests share: scratch databases on the backend the environment names, and
 * waiting for things that happen on their own time.
 */
export * from './database.ts';
export * from './wait.ts';

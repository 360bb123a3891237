/** What other packages' tests reuse from the entry points: the seeder, the simulator and the nightly job. */
export { seedCity, type SeedOptions, type SeedResult } from './seed.ts';
export { runSimulator, formatStatus, type SimulatorOptions, type SimulatorStatus } from './simulate.ts';
export { runNightly, type NightlyResult } from './nightly/job.ts';

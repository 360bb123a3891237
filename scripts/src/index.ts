/** What other packages' tests reuse from the entry points: the seeder and the simulator. */
export { seedCity, type SeedOptions, type SeedResult } from './seed.ts';
export { runSimulator, formatStatus, type SimulatorOptions, type SimulatorStatus } from './simulate.ts';

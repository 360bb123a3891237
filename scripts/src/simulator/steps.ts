/** The vocabulary the simulator's steps share: a draft event, a planned step, what a step may use. */
import type { DudaoEvent, Target, Theme } from '@dudao/domain';
import type { Random } from '../registry/random.ts';
import type { CityState, SimComplaint, SimInspection, SimIssue } from './world.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event before the model gives it an id and a time. */
export type Draft = DistributiveOmit<DudaoEvent, 'id' | 'occurredAt'>;

/** A step decided now to happen later. */
export type Plan =
  | { kind: 'complete'; inspection: SimInspection }
  | { kind: 'raise'; inspection: SimInspection }
  | { kind: 'act'; institutionId: string; inspector: string }
  | { kind: 'rectify'; issue: SimIssue }
  | { kind: 'verify'; issue: SimIssue }
  /** the office's 督办, 延期 or remark on an issue */
  | { kind: 'urge' | 'extend' | 'comment'; issue: SimIssue }
  | { kind: 'resolve'; complaint: SimComplaint }
  | { kind: 'followup'; district: string; target: Target; theme: Theme };

export interface StepContext {
  random: Random;
  state: CityState;
  plan(at: number, plan: Plan): void;
  /** a fresh object id with the given one-letter prefix */
  id(prefix: string): string;
  /** a process duration at the current pace */
  scaled(ms: number): number;
}

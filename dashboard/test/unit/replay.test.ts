/** The wall's replay as the URL asks for it, and its clock (SPEC §15). */
import { describe, expect, it } from 'vitest';
import {
  advanceReplayClock,
  DEFAULT_REPLAY_SPEED,
  MAX_REPLAY_SPEED,
  parseReplayAsk,
  parseReplaySpeed,
} from '../../src/lib/replay.ts';

describe('replay in the URL', () => {
  it('?replay= names a calendar day; anything else is the live wall', () => {
    expect(parseReplayAsk({ replay: '2026-11-25', speed: '300' })).toEqual({ day: '2026-11-25', speed: 300 });
    expect(parseReplayAsk({ replay: ['2026-11-25'] })).toEqual({
      day: '2026-11-25',
      speed: DEFAULT_REPLAY_SPEED,
    });
    expect(parseReplayAsk({})).toBeNull();
    expect(parseReplayAsk({ replay: '2026-11-31' })).toBeNull();
    expect(parseReplayAsk({ replay: 'yesterday' })).toBeNull();
  });

  it('a speed outside 1..MAX_REPLAY_SPEED, or not a number, is the default', () => {
    expect(parseReplaySpeed('1')).toBe(1);
    expect(parseReplaySpeed(String(MAX_REPLAY_SPEED))).toBe(MAX_REPLAY_SPEED);
    for (const raw of [undefined, '0', '-5', 'fast', String(MAX_REPLAY_SPEED + 1)])
      expect(parseReplaySpeed(raw)).toBe(DEFAULT_REPLAY_SPEED);
  });
});

describe('the replay clock', () => {
  it('moves speed × the real time passed, and stops at the day’s last instant', () => {
    expect(advanceReplayClock(1_000, 250, 60, 100_000)).toBe(16_000);
    expect(advanceReplayClock(90_000, 1_000, 60, 100_000)).toBe(100_000);
    expect(advanceReplayClock(5_000, -10, 60, 100_000)).toBe(5_000);
  });
});

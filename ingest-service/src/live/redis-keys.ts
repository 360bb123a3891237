/**
 * The Redis layout of one city's live store: its keys' TTLs, the write ops that deltas and rebuild
 * images become, and the one script that runs those ops (op codes and script are one protocol, so
 * they live together). The key names themselves come from `redis/keys.ts` (`LiveKeys`), which owns
 * every Redis key name; the apply script receives whole keys.
 */
import type { Bucket, Delta, FeedItem, LiveImage, MemberSet } from '@dudao/domain';
import type { LiveKeys } from '../redis/keys.ts';
import { CITY_SCOPE, MAX_FEED_ITEMS } from './store.ts';

export { DEFAULT_NAMESPACE, LiveKeys } from '../redis/keys.ts';

const DAY_SECONDS = 24 * 60 * 60;
/** Day windows are read today and (late events, midnight) yesterday; a spare day covers clock skew. */
export const DAY_TTL_SECONDS = 3 * DAY_SECONDS;
/** Month windows: this month and the last one, plus spare days. */
export const MONTH_TTL_SECONDS = 70 * DAY_SECONDS;
/** Length of a day window, `YYYY-MM-DD` (a month's is `YYYY-MM`). */
const DAY_WINDOW_LENGTH = 10;

/** TTL of a bucket's key in seconds; 0 for `total`, which lives forever. */
export function bucketTtlSeconds(bucket: Bucket): number {
  if (bucket.startsWith('day:')) return DAY_TTL_SECONDS;
  if (bucket.startsWith('month:')) return MONTH_TTL_SECONDS;
  return 0;
}

/** TTL of a member window's key: `YYYY-MM-DD` is a day, anything else a month. */
export const windowTtlSeconds = (window: string): number =>
  window.length === DAY_WINDOW_LENGTH ? DAY_TTL_SECONDS : MONTH_TTL_SECONDS;

/** Op codes of the apply script, each followed by fixed arguments (see `APPLY_SCRIPT`). */
export const OP = { hincrby: 'h', sadd: 'a', zadd: 'z', zrem: 'r', hmax: 'x', lpush: 'l' } as const;

/**
 * A Lua script rather than MULTI: a batch's writes travel as one compact EVALSHA instead of
 * thousands of queued commands, and the parts MULTI cannot express run server-side in the same
 * atomic step: "newest occurredAt" is a max, a version starts at the clock then counts up, and
 * the PUBLISH names exactly the districts written. The versions hash is the one declared key, so
 * Cluster routes the script to the city's slot; every other key it gets carries the same hash tag.
 *
 * KEYS[1] versions hash. ARGV: origin instance id, first version, version floor, feed length,
 * channel, n, n touched districts, then ops (op code + fixed arguments, see `OP`).
 */
export const APPLY_SCRIPT = `
local versions = KEYS[1]
local origin, firstVersion, floor = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local feedLength, channel, n = tonumber(ARGV[4]), ARGV[5], tonumber(ARGV[6])
local ttls, feeds = {}, {}
local i = 7 + n
while i <= #ARGV do
  local op, key = ARGV[i], ARGV[i + 1]
  if op == 'h' then
    redis.call('HINCRBY', key, ARGV[i + 2], ARGV[i + 3])
    ttls[key] = ARGV[i + 4]
    i = i + 5
  elseif op == 'a' then
    redis.call('SADD', key, ARGV[i + 2])
    ttls[key] = ARGV[i + 3]
    i = i + 4
  elseif op == 'z' then
    redis.call('ZADD', key, ARGV[i + 2], ARGV[i + 3])
    i = i + 4
  elseif op == 'r' then
    redis.call('ZREM', key, ARGV[i + 2])
    i = i + 3
  elseif op == 'x' then
    local current = redis.call('HGET', key, ARGV[i + 2])
    if not current or tonumber(current) < tonumber(ARGV[i + 3]) then
      redis.call('HSET', key, ARGV[i + 2], ARGV[i + 3])
    end
    i = i + 4
  elseif op == 'l' then
    redis.call('LPUSH', key, ARGV[i + 2])
    feeds[key] = true
    i = i + 3
  else
    return redis.error_reply('dudao live: unknown op ' .. tostring(op))
  end
end
for key, ttl in pairs(ttls) do
  if ttl ~= '0' then redis.call('EXPIRE', key, ttl) end
end
for key in pairs(feeds) do redis.call('LTRIM', key, 0, feedLength - 1) end
if n == 0 then return 0 end
local districts = {}
for k = 1, n do districts[k] = ARGV[6 + k] end
local function bump(scope)
  local current = redis.call('HGET', versions, scope)
  local v = current and math.max(tonumber(current) + 1, floor) or math.max(firstVersion, floor)
  redis.call('HSET', versions, scope, string.format('%d', v))
end
for _, district in ipairs(districts) do bump(district) end
bump('city') -- CITY_SCOPE
redis.call('PUBLISH', channel, cjson.encode({ origin = origin, districts = districts }))
return n
`;

function requireSafeInteger(value: number, what: string): number {
  // The script is not rolled back on an error, so anything Redis would refuse is refused here.
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a safe integer, got ${value}`);
  return value;
}

/**
 * The writes of one apply or one rebuild, as arguments for the apply script. Increments of the same
 * field are summed and members deduplicated first (a batch of 1,000 events touches few fields);
 * deadline ops keep their order, since a set then a clear is not a clear then a set.
 */
export class LiveWrites {
  /** districts whose values these writes change */
  readonly districts = new Set<string>();
  private readonly sums = new Map<string, { ttl: number; fields: Map<string, number> }>();
  private readonly members = new Map<string, { ttl: number; members: Set<string> }>();
  private readonly deadlineOps: string[] = [];
  private readonly newest = new Map<string, number>();
  /** feed key → items in acceptance order */
  private readonly feedItems = new Map<string, string[]>();

  constructor(private readonly keys: LiveKeys) {}

  incr(district: string, bucket: Bucket, field: string, by: number): void {
    const key = this.keys.bucket(district, bucket);
    let entry = this.sums.get(key);
    if (!entry) {
      entry = { ttl: bucketTtlSeconds(bucket), fields: new Map() };
      this.sums.set(key, entry);
    }
    const sum = (entry.fields.get(field) ?? 0) + requireSafeInteger(by, `increment of ${field}`);
    entry.fields.set(field, requireSafeInteger(sum, `sum of ${field}`));
    this.districts.add(district);
  }

  addMember(district: string, set: MemberSet, window: string, member: string): void {
    const key = this.keys.members(district, set, window);
    let entry = this.members.get(key);
    if (!entry) {
      entry = { ttl: windowTtlSeconds(window), members: new Set() };
      this.members.set(key, entry);
    }
    entry.members.add(member);
    this.districts.add(district);
  }

  setDeadline(district: string, issueId: string, deadlineMs: number): void {
    const score = String(requireSafeInteger(deadlineMs, 'deadline'));
    this.deadlineOps.push(OP.zadd, this.keys.deadlines(district), score, issueId);
    this.districts.add(district);
  }

  clearDeadline(district: string, issueId: string): void {
    this.deadlineOps.push(OP.zrem, this.keys.deadlines(district), issueId);
    this.districts.add(district);
  }

  seen(district: string, occurredAtMs: number): void {
    requireSafeInteger(occurredAtMs, 'occurredAt');
    this.newest.set(district, Math.max(this.newest.get(district) ?? occurredAtMs, occurredAtMs));
    this.districts.add(district);
  }

  /** Call in acceptance order: each item goes on top of its lists. */
  feed(item: FeedItem): void {
    const json = JSON.stringify(item);
    for (const scope of [CITY_SCOPE, item.district]) {
      const key = this.keys.feed(scope);
      let items = this.feedItems.get(key);
      if (!items) this.feedItems.set(key, (items = []));
      items.push(json);
    }
    this.districts.add(item.district);
  }

  /** A scope's whole feed, newest first, as a rebuild puts it back onto its deleted list. */
  feedList(scope: string, newestFirst: readonly FeedItem[]): void {
    const json = newestFirst.map((item) => JSON.stringify(item));
    this.feedItems.set(this.keys.feed(scope), json.reverse());
    if (scope !== CITY_SCOPE) this.districts.add(scope);
  }

  get empty(): boolean {
    return this.districts.size === 0;
  }

  ops(): string[] {
    const ops: string[] = [];
    for (const [key, { ttl, fields }] of this.sums)
      for (const [field, by] of fields) ops.push(OP.hincrby, key, field, String(by), String(ttl));
    for (const [key, { ttl, members }] of this.members)
      for (const member of members) ops.push(OP.sadd, key, member, String(ttl));
    ops.push(...this.deadlineOps);
    for (const [district, ms] of this.newest) ops.push(OP.hmax, this.keys.lastEventAt, district, String(ms));
    // Only the newest MAX_FEED_ITEMS of a list survive its trim: a big batch pushes no more than that.
    for (const [key, items] of this.feedItems)
      for (const json of items.slice(-MAX_FEED_ITEMS)) ops.push(OP.lpush, key, json);
    return ops;
  }
}

export function deltaWrites(keys: LiveKeys, deltas: readonly Delta[], feed: readonly FeedItem[]): LiveWrites {
  const writes = new LiveWrites(keys);
  for (const delta of deltas) {
    switch (delta.op) {
      case 'incr':
        writes.incr(delta.district, delta.bucket, delta.field, delta.by);
        break;
      case 'addMember':
        writes.addMember(delta.district, delta.set, delta.window, delta.member);
        break;
      case 'setDeadline':
        writes.setDeadline(delta.district, delta.issueId, delta.deadlineMs);
        break;
      case 'clearDeadline':
        writes.clearDeadline(delta.district, delta.issueId);
        break;
      case 'seen':
        writes.seen(delta.district, delta.occurredAtMs);
        break;
    }
  }
  for (const item of feed) writes.feed(item);
  return writes;
}

/** A rebuild image as writes onto deleted keys: an increment from nothing is a set. */
export function imageWrites(keys: LiveKeys, image: LiveImage): LiveWrites {
  const writes = new LiveWrites(keys);
  for (const [district, d] of image) {
    writes.districts.add(district);
    for (const [bucket, fields] of d.buckets)
      for (const [field, value] of fields) writes.incr(district, bucket, field, value);
    for (const [key, members] of d.members) {
      const split = key.indexOf(':');
      const set = key.slice(0, split) as MemberSet;
      for (const member of members) writes.addMember(district, set, key.slice(split + 1), member);
    }
    for (const [issueId, deadlineMs] of d.deadlines) writes.setDeadline(district, issueId, deadlineMs);
    if (d.lastEventAt !== null) writes.seen(district, d.lastEventAt);
  }
  return writes;
}

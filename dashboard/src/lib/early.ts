/**
 * The wall's first requests, sent by the entry (main.ts) before the app's own code is evaluated:
 * Vue, ECharts and the panels are most of the bytes and of the start-up CPU, and on a busy wall PC
 * their download, compile and evaluation took seconds during which the network stood idle. The
 * answers wait here until the app asks for the same path, once (a later read fetches again).
 * No Vue in here: this module is part of the small entry chunk.
 */
import { getToken } from './token.ts';

/** What the wall's first screen reads (besides the socket): the key, the city, its map, its figures. */
export const WALL_FIRST_REQUESTS = [
  '/api/v1/whoami',
  '/api/v1/city',
  '/api/v1/city/map',
  '/api/v1/metrics?scope=city',
];

const early = new Map<string, Promise<Response>>();

/** Sends `paths` now with the wall's key (a viewer key from the URL; people's sessions wait for the app). */
export function startEarlyRequests(paths: readonly string[]): void {
  const token = getToken();
  if (!token) return;
  for (const path of paths) {
    const response = fetch(path, {
      headers: { Accept: 'application/json', Authorization: `Bearer ${token}` },
    });
    response.catch(() => {}); // a failed early request: the app's own read tries again
    early.set(path, response);
  }
}

/** The early response for `path`, handed out once; null when none was sent (or it was taken). */
export function takeEarlyResponse(path: string): Promise<Response> | null {
  const response = early.get(path);
  if (!response) return null;
  early.delete(path);
  return response;
}

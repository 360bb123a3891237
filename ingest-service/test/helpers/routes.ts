/** The service's API routes, read from Fastify's route tree (not a hand-kept list that drifts). */
import type { FastifyInstance } from 'fastify';

export interface Route {
  method: 'GET' | 'POST';
  path: string;
}

/** Every GET and POST route under /api/, each `:param` replaced by `params[':param']` when given. */
export function apiRoutes(app: FastifyInstance, params: Record<string, string>): Route[] {
  const tree = app.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const routes: Route[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!m) continue;
    stack.length = m[1]!.length / 4;
    const path = `${stack.join('')}${m[2]}`;
    stack.push(m[2]!);
    if (!m[3] || !path.startsWith('/api/')) continue;
    const filled = path.replace(/:[A-Za-z]+/g, (p) => params[p] ?? p);
    for (const method of m[3].split(', '))
      if (method === 'GET' || method === 'POST') routes.push({ method, path: filled });
  }
  return routes;
}

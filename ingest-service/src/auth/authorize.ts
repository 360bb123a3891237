/**
 * The one authorization decision of SPEC §9, taken the same way for HTTP routes and for Socket.IO
 * (handshake and subscribe): may this key act in `role`, on `scope`?
 */
import { canReach, hasRole, type Principal, type Role } from './keys.ts';

export interface Denial {
  status: 401 | 403;
  code: 'unauthorized' | 'forbidden';
  message: string;
}

export interface Need {
  role: Role;
  /** the city or a district the request reads; absent → the key's role alone decides */
  scope?: string;
  /** the key came in a URL (`?token=`) */
  fromUrl?: boolean;
}

/** null when allowed; else why not, as the status and error code both transports answer with. */
export function authorize(principal: Principal | null, need: Need): Denial | null {
  if (!principal) return { status: 401, code: 'unauthorized', message: 'this API key is unknown or revoked' };
  // A URL ends up in logs and browser history: only a read-only key may travel in one.
  if (need.fromUrl && principal.role !== 'viewer')
    return { status: 403, code: 'forbidden', message: 'only a viewer key may be passed as ?token=' };
  if (!hasRole(principal, need.role))
    return { status: 403, code: 'forbidden', message: `this key (${principal.role}) may not ${need.role}` };
  if (need.scope !== undefined && !canReach(principal, need.scope))
    return { status: 403, code: 'forbidden', message: `this key may read ${principal.scope} only` };
  return null;
}

/** Response shapes of the admin key routes (docs/SPEC.md §9), shared by the service, the console and tests. */

export type AdminKeyRole = 'ingest' | 'viewer' | 'admin';
export type AdminKeyState = 'active' | 'expired' | 'revoked';

/** One key of `GET /api/v1/admin/keys`: never the key itself nor its hash. */
export interface AdminKeyListing {
  id: string;
  label: string | null;
  role: AdminKeyRole;
  scope: string;
  state: AdminKeyState;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  lastUsedFrom: string | null;
  /** live Socket.IO connections now */
  sockets: number;
}

/** `GET /api/v1/admin/keys` */
export interface AdminKeyList {
  keys: AdminKeyListing[];
  /** `this_instance` when another instance did not answer the count in time */
  socketsCountedOn: 'all_instances' | 'this_instance';
}

/** `POST /api/v1/admin/keys` (201): the key, shown this once, and a viewer key's wall URL. */
export interface CreatedAdminKey {
  id: string;
  label: string | null;
  role: AdminKeyRole;
  scope: string;
  createdAt: string;
  expiresAt: string | null;
  token: string;
  wallUrl?: string;
}

/** `POST /api/v1/admin/keys/:id/revoke` */
export interface RevokedAdminKey {
  id: string;
  revokedAt: string;
}

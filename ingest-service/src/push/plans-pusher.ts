/**
 * The `plans` push (SPEC §14): after each recount of the live plans, every scope room on this
 * instance whose plans changed since its last message gets the whole list again (a handful of plans:
 * no patches needed). A subscriber gets the list right after its snapshot (`socket.ts`).
 */
import type { Namespace } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@dudao/domain';
import type { PlanBoard } from '../plans/board.ts';
import { roomOf } from './pusher.ts';

const ROOM_PREFIX = roomOf('');

export function pushPlans(
  nsp: Namespace<ClientToServerEvents, ServerToClientEvents>,
  board: PlanBoard,
): () => void {
  const lastSent = new Map<string, string>();
  const watchedScopes = () =>
    [...nsp.adapter.rooms]
      .filter(([room, members]) => room.startsWith(ROOM_PREFIX) && members.size > 0)
      .map(([room]) => room.slice(ROOM_PREFIX.length));
  board.audience = () => watchedScopes().length > 0;
  return board.onRefresh(() => {
    const scopes = watchedScopes();
    for (const scope of scopes) {
      const msg = board.cached(scope);
      if (!msg) continue;
      const content = JSON.stringify(msg.plans);
      if (lastSent.get(scope) === content) continue;
      lastSent.set(scope, content);
      nsp.local.to(roomOf(scope)).emit('plans', msg);
    }
    for (const scope of lastSent.keys()) if (!scopes.includes(scope)) lastSent.delete(scope);
  });
}

/**
 * `/` the wall, `/district/:adcode` the drill-down, `/ledger` the city's issue ledger, `/signin`
 * for people (SPEC §12). Without a key and without a session every page sends to the sign-in,
 * which comes back where it was asked for.
 * A key or person scoped to one district opens straight into it and is refused every other scope
 * (the service refuses too; this only keeps the screen clear).
 */
import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router';
import { loadWhoami, useSession } from './composables/useSession.ts';
import WallPage from './pages/WallPage.vue';

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes: [
    { path: '/', name: 'wall', component: WallPage },
    {
      path: '/district/:adcode(\\d{6})',
      name: 'district',
      component: () => import('./pages/DistrictPage.vue'),
      props: true,
    },
    {
      path: '/signin',
      name: 'signin',
      component: () => import('./pages/SignInPage.vue'),
      meta: { ownAccess: true },
    },
    { path: '/ledger', name: 'ledger', component: () => import('./pages/LedgerPage.vue') },
    { path: '/forbidden', name: 'forbidden', component: () => import('./pages/ForbiddenPage.vue') },
    // The admin console checks its own access (an admin's session or key), not the wall's key.
    {
      path: '/admin',
      name: 'admin',
      component: () => import('./pages/admin/AdminPage.vue'),
      meta: { ownAccess: true },
    },
    { path: '/:rest(.*)*', redirect: (to) => ({ path: '/', query: to.query }) },
  ],
});

/** Where a key of `scope` may go when it asks for `to`; null when it may go there. */
export function scopeRedirect(scope: string, to: Pick<RouteLocationNormalized, 'name' | 'params' | 'query'>) {
  if (scope === 'city') return null;
  if (to.name === 'wall') return { name: 'district', params: { adcode: scope }, query: to.query };
  if (to.name === 'ledger')
    return { name: 'district', params: { adcode: scope }, query: { ...to.query, tab: 'issues' } };
  if (to.name === 'district' && to.params.adcode !== scope) {
    return { name: 'forbidden', query: { ...to.query, adcode: String(to.params.adcode) } };
  }
  return null;
}

/** Where the sign-in page goes next: the `redirect` it was given when it is a path of this app. */
export function afterSignIn(query: RouteLocationNormalized['query']): string {
  const r = query.redirect;
  return typeof r === 'string' && r.startsWith('/') && !r.startsWith('//') && !r.startsWith('/signin')
    ? r
    : '/';
}

router.beforeEach(async (to) => {
  if (to.meta.ownAccess) return true;
  const who = await loadWhoami();
  if (who) return scopeRedirect(who.scope, to) ?? true;
  if (useSession().authProblem.value === 'signedOut')
    return { name: 'signin', query: { redirect: to.fullPath } };
  return true; // a refused key (its own screen) or the network down (the pages show it)
});

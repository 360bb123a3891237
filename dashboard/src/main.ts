/**
 * The entry, kept small: it takes the key out of the URL, sends the wall's first requests, then
 * loads the app (app.ts). The app's chunks are preloaded from index.html (build/preloadApp.ts), so
 * they download while these requests are answered instead of before them.
 */
import './lib/bootToken.ts';
import { startEarlyRequests, WALL_FIRST_REQUESTS } from './lib/early.ts';

if (window.location.pathname === import.meta.env.BASE_URL) startEarlyRequests(WALL_FIRST_REQUESTS);

void import('./app.ts');

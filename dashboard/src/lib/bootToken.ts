/**
 * Imported first by main.ts: the token must leave the address bar before the router reads the
 * initial location (ES imports are evaluated before main.ts' own statements).
 */
import { initToken } from './token.ts';

initToken();

/**
 * Passwords (SPEC §12): Argon2id hashes (@node-rs/argon2's defaults: 19 MiB, 2 passes, the OWASP
 * baseline), one-time passwords from a random source, and a fixed decoy hash so a login that does
 * not exist costs as much time as a wrong password.
 */
import { randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;
/** No 0/O, 1/l/I: a one-time password is read off a screen and typed. */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const ONE_TIME_LENGTH = 16;

/** Argon2id is the binding's default algorithm (`$argon2id$` in the PHC string). */
export const hashPassword = (password: string): Promise<string> => hash(password);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed stored hash opens nothing
  }
}

export function oneTimePassword(): string {
  return Array.from({ length: ONE_TIME_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

let decoy: Promise<string> | null = null;
/** Verifies against a hash of nothing anyone knows: the time of a real check, always false. */
export async function verifyDecoy(password: string): Promise<false> {
  decoy ??= hashPassword(oneTimePassword());
  await verifyPassword(await decoy, password);
  return false;
}

/** Why `password` may not be set, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `a password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `a password has at most ${MAX_PASSWORD_LENGTH} characters`;
  return null;
}

/** People for tests (SPEC §12): users made in the test database, and a browser-like cookie client. */
import { createUser, type UserRole } from '../../src/index.ts';
import type { Database } from '@dudao/db';

export const PASSWORD = 'correct horse battery';

export async function makeUser(database: Database, login: string, role: UserRole, scope: string) {
  await createUser(
    database,
    { login, name: `${login} 名字`, role, scope, password: PASSWORD },
    { actor: { login: 'test' }, isScope: () => true },
  );
}

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

async function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(url, init);
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: json };
}

/** A browser's view of one person: the session cookie it was given and the CSRF token it read. */
export interface PersonClient {
  cookie: string;
  csrfToken: string;
  /** `csrf: false` leaves the x-csrf-token header off */
  request(method: string, path: string, body?: unknown, opts?: { csrf?: boolean }): Promise<Answer>;
}

export function signInRequest(baseUrl: string, login: string, password: string): Promise<Answer> {
  return send(`${baseUrl}/api/v1/session`, 'POST', {}, { login, password });
}

/** The `name=value` of the session cookie a sign-in answer set. */
export function sessionCookie(answer: Answer): string {
  const header = answer.headers.get('set-cookie') ?? '';
  const pair = header.split(';')[0] ?? '';
  if (!pair.startsWith('dudao_session=')) throw new Error(`no session cookie in ${header}`);
  return pair;
}

export async function signIn(baseUrl: string, login: string, password = PASSWORD): Promise<PersonClient> {
  const answer = await signInRequest(baseUrl, login, password);
  if (answer.status !== 200)
    throw new Error(`sign-in of ${login}: ${answer.status} ${JSON.stringify(answer.body)}`);
  const cookie = sessionCookie(answer);
  const csrfToken = answer.body.csrfToken as string;
  return {
    cookie,
    csrfToken,
    request: (method, path, body, opts = {}) =>
      send(
        `${baseUrl}${path}`,
        method,
        { cookie, ...(opts.csrf === false ? {} : { 'x-csrf-token': csrfToken }) },
        body,
      ),
  };
}

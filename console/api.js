// The console's only way to the data: /v1 with the signed-in token. A 401 (no token, unknown or
// revoked) forgets the token and sends the person back to sign-in.
const KEY = 'relance.token';

export const getToken = () => sessionStorage.getItem(KEY);
export const setToken = (token) => sessionStorage.setItem(KEY, token);

export function signOut() {
  sessionStorage.removeItem(KEY);
  window.dispatchEvent(new Event('relance:signed-out'));
}

/** { status, ok, body } where body is the parsed JSON answer (or null). */
export async function api(path, { method = 'GET', body } = {}) {
  const headers = { authorization: `Bearer ${getToken() ?? ''}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed = await res.json().catch(() => null);
  if (res.status === 401) signOut();
  return { status: res.status, ok: res.ok, body: parsed };
}

/** The API's refusal as one line: its message, then each field it names. */
export function refusalText(answer) {
  const body = answer.body ?? {};
  const issues = (body.issues ?? []).map((i) => `${i.path}: ${i.message}`);
  return [body.message ?? `HTTP ${answer.status}`, ...issues].join(' — ');
}

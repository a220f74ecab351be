// What every page shares: htm bound to preact, and loading a /v1 answer into a component.
import { h } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import htm from 'htm';
import { api, refusalText } from './api.js';

export const html = htm.bind(h);

/** [answer | null, reload]: the answer of GET `path`, fetched again when `path` changes. */
export function useApi(path) {
  const [answer, setAnswer] = useState(null);
  const load = useCallback(() => {
    if (!path) return;
    void api(path).then(setAnswer);
  }, [path]);
  useEffect(load, [load]);
  return [answer, load];
}

/** Loading, the role's refusal or the API's refusal; null once there is something to show. */
export function notReady(w, answer) {
  if (!answer) return html`<p aria-busy="true">${w.t('loading')}</p>`;
  if (answer.status === 403) return html`<p role="alert" class="error">${w.t('forbidden')}</p>`;
  if (!answer.ok) return html`<p role="alert" class="error">${refusalText(answer)}</p>`;
  return null;
}

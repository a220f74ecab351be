// The console's shell: sign-in, the header (pages, role, language) and a hash router.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, getToken, setToken, signOut } from './api.js';
import { html } from './ui.js';
import { initialLang, LANGS, rememberLang, wordsFor } from './i18n.js';
import { Inbox } from './inbox.js';
import { TaskPage } from './task.js';
import { FinancePage } from './finance.js';
import { CampaignsPage } from './campaigns.js';

function SignIn({ w, onSignedIn }) {
  const [token, setValue] = useState('');
  const [error, setError] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    setToken(token.trim());
    const answer = await api('/v1/me');
    if (answer.ok) onSignedIn(answer.body);
    else setError(w.t('badToken'));
  };
  return html`<main>
    <h1>${w.t('title')}</h1>
    <form class="signin" onSubmit=${submit}>
      <label
        >${w.t('token')}
        <input
          type="password"
          name="token"
          autocomplete="off"
          required
          value=${token}
          onInput=${(e) => setValue(e.currentTarget.value)}
        />
      </label>
      <button type="submit">${w.t('signIn')}</button>
      ${error && html`<p role="alert" class="error">${error}</p>`}
    </form>
  </main>`;
}

const route = () => (location.hash.replace(/^#\/?/, '') || 'inbox').split('/');

function Header({ w, me, page, lang, setLang }) {
  const link = (name, href) =>
    html`<a href=${href} aria-current=${page === name ? 'page' : undefined}>${w.t(name)}</a>`;
  return html`<header>
    <strong>${w.t('title')}</strong>
    <nav aria-label=${w.t('title')}>
      ${link('inbox', '#/inbox')} ${link('finance', '#/finance')} ${link('campaigns', '#/campaigns')}
    </nav>
    <span data-testid="me">${me.name} · ${w.t('role')}: <span class="badge">${me.role}</span></span>
    <label
      >${w.t('language')}
      <select name="lang" value=${lang} onChange=${(e) => setLang(e.currentTarget.value)}>
        ${LANGS.map((l) => html`<option value=${l}>${l.toUpperCase()}</option>`)}
      </select>
    </label>
    <button type="button" onClick=${signOut}>${w.t('signOut')}</button>
  </header>`;
}

function Page({ w, me, path }) {
  const [page, id] = path;
  if (page === 'task' && id) return html`<${TaskPage} w=${w} me=${me} id=${id} />`;
  if (page === 'finance') return html`<${FinancePage} w=${w} />`;
  if (page === 'campaigns') return html`<${CampaignsPage} w=${w} me=${me} />`;
  return html`<${Inbox} w=${w} me=${me} />`;
}

function App() {
  const [lang, setLangState] = useState(initialLang);
  const [me, setMe] = useState(null);
  const [checked, setChecked] = useState(!getToken());
  const [path, setPath] = useState(route);
  const w = wordsFor(lang);
  const setLang = (l) => {
    rememberLang(l);
    setLangState(l);
  };
  useEffect(() => {
    rememberLang(lang);
    const onHash = () => setPath(route());
    const onOut = () => setMe(null);
    window.addEventListener('hashchange', onHash);
    window.addEventListener('relance:signed-out', onOut);
    if (getToken())
      void api('/v1/me').then((a) => {
        if (a.ok) setMe(a.body);
        setChecked(true);
      });
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('relance:signed-out', onOut);
    };
  }, []);
  useEffect(() => {
    document.title = w.t('title');
  }, [lang]);
  if (!checked) return html`<p>${w.t('loading')}</p>`;
  if (!me) return html`<${SignIn} w=${w} onSignedIn=${setMe} />`;
  return html`<${Header}
      w=${w}
      me=${me}
      page=${path[0] === 'task' ? 'inbox' : path[0]}
      lang=${lang}
      setLang=${setLang}
    />
    <main><${Page} w=${w} me=${me} path=${path} /></main>`;
}

render(html`<${App} />`, document.getElementById('app'));

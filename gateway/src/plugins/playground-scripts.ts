/**
 * The playground's sign-in, as page script: an answer carrying an `accessToken` (login, refreshToken) is kept
 * for the browser tab (sessionStorage, until the token expires), and every later operation to the endpoint
 * that has no Authorization header of its own gets `Bearer <token>`: HTTP requests through `fetch`, and
 * subscriptions through the graphql-ws `subscribe` message's `extensions.headers`, which is where GraphiQL
 * puts its headers and the gateway reads them. A `logout` that succeeds, or "Sign out" in the badge, forgets it.
 *
 * The token goes nowhere but the endpoint's own origin and path; the headers editor stays what the user typed.
 */
export function playgroundSessionScript(endpoint: string): string {
  return `(() => {
  const endpoint = new URL(${JSON.stringify(endpoint)}, location.href);
  const KEY = 'salesgraph.playground.session';
  const isEndpoint = (href) => {
    try {
      const url = new URL(href, location.href);
      return url.host === endpoint.host && url.pathname === endpoint.pathname;
    } catch {
      return false;
    }
  };
  const current = () => {
    try {
      const session = JSON.parse(sessionStorage.getItem(KEY) || 'null');
      if (session && typeof session.token === 'string' && session.expiresAt > Date.now()) return session;
    } catch {}
    sessionStorage.removeItem(KEY);
    return null;
  };
  const forget = () => {
    sessionStorage.removeItem(KEY);
    render();
  };
  const learn = (body) => {
    const data = body && typeof body === 'object' ? body.data : null;
    if (!data || typeof data !== 'object') return;
    for (const value of Object.values(data)) {
      if (value && typeof value === 'object' && typeof value.accessToken === 'string') {
        const user = value.user && typeof value.user === 'object' ? value.user : {};
        const expiresIn = Number.isFinite(value.expiresIn) ? value.expiresIn : 900;
        const who = [user.username, user.role && '(' + user.role + ')'].filter(Boolean).join(' ') || 'signed in';
        sessionStorage.setItem(KEY, JSON.stringify({ token: value.accessToken, expiresAt: Date.now() + expiresIn * 1000, who }));
        render();
        return;
      }
    }
    if (data.logout === true) forget();
  };

  const originalFetch = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!isEndpoint(href)) return originalFetch(input, init);
    const session = current();
    let sent = init;
    if (session) {
      const given = init && init.headers !== undefined ? init.headers : input instanceof Request ? input.headers : undefined;
      const headers = new Headers(given);
      if (!headers.has('authorization')) {
        headers.set('authorization', 'Bearer ' + session.token);
        sent = { ...init, headers };
      }
    }
    const response = await originalFetch(input, sent);
    if ((response.headers.get('content-type') || '').includes('json')) response.clone().json().then(learn, () => {});
    return response;
  };

  const originalSend = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    const session = typeof data === 'string' && isEndpoint(this.url.replace(/^ws/, 'http')) ? current() : null;
    if (session) {
      try {
        const message = JSON.parse(data);
        if (message && message.type === 'subscribe' && message.payload && typeof message.payload === 'object') {
          const extensions = (message.payload.extensions ||= {});
          const headers = extensions.headers && typeof extensions.headers === 'object' ? extensions.headers : (extensions.headers = {});
          if (!Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) {
            headers.Authorization = 'Bearer ' + session.token;
            data = JSON.stringify(message);
          }
        }
      } catch {}
    }
    return originalSend.call(this, data);
  };

  // A badge in the corner says who the operations run as.
  let badge;
  function render() {
    if (!badge) return;
    const session = current();
    badge.replaceChildren();
    const text = document.createElement('span');
    text.textContent = session
      ? 'Signed in as ' + session.who + ': the token goes with every operation without an Authorization header. '
      : 'Not signed in: run the SignIn tab, or set an Authorization header. ';
    badge.append(text);
    if (session) {
      const signOut = document.createElement('button');
      signOut.type = 'button';
      signOut.textContent = 'Sign out';
      signOut.addEventListener('click', forget);
      badge.append(signOut);
    }
    badge.dataset.signedIn = session ? 'true' : 'false';
  }
  addEventListener('DOMContentLoaded', () => {
    badge = document.createElement('div');
    badge.id = 'salesgraph-session';
    badge.setAttribute('role', 'status');
    badge.style.cssText = 'position:fixed;right:12px;bottom:8px;z-index:10;max-width:46ch;padding:4px 8px;border-radius:6px;font:12px/1.4 system-ui,sans-serif;background:rgba(59,75,104,.9);color:#fff;pointer-events:auto';
    document.body.append(badge);
    render();
  });
})();`;
}

/** An example tab as GraphiQL keeps tabs in its storage. */
export interface StoredTab {
  title: string;
  query: string;
  variables: string | null;
}

/**
 * What GraphiQL 5 misses on a first visit (no tabs in its storage, `graphiql:*` in localStorage):
 * - it opens its default tabs only without `?query=`, so a link to an operation would lose the examples: they
 *   are stored as the visit's tabs, in GraphiQL's own storage shape, and the linked operation opens as one more
 *   tab, the active one;
 * - it shows the first tab's query but not its variables: they are stored as the last-used variables, which it
 *   does show.
 */
export function firstVisitScript(tabs: StoredTab[]): string {
  const state = {
    activeTabIndex: 0,
    tabs: tabs.map((tab, index) => ({ id: `example-${index}`, ...tab, headers: null, operationName: tab.title, response: null })),
  };
  return `(() => {
  if (localStorage.getItem('graphiql:tabState') !== null) return;
  if (new URLSearchParams(location.search).has('query')) localStorage.setItem('graphiql:tabState', ${JSON.stringify(JSON.stringify(state))});
  else if (${JSON.stringify(tabs[0]?.variables ?? null)} !== null) localStorage.setItem('graphiql:variables', ${JSON.stringify(tabs[0]?.variables ?? null)});
})();`;
}

import type { Router } from 'express';

/** A door of the gateway, as `GET /` lists it. */
interface Door {
  key: string;
  title: string;
  url: string;
  about: string;
}

/**
 * `GET /`: a browser gets a page leading to the playground and listing the other doors; an API client (any
 * Accept that does not prefer HTML) gets the same list as JSON.
 */
export function mountFrontDoor(router: Router, { playground }: { playground: boolean }): void {
  const doors: Door[] = [
    ...(playground
      ? [{ key: 'playground', title: 'GraphQL playground', url: '/graphql', about: 'GraphiQL with example tabs, docs and a query builder' }]
      : []),
    { key: 'graphql', title: 'GraphQL API', url: '/graphql', about: 'queries and mutations over HTTP, subscriptions over graphql-ws' },
    { key: 'rest_docs', title: 'REST API (Swagger UI)', url: '/docs', about: 'the legacy URLs of the five products, tried in the browser' },
    { key: 'rest_reference', title: 'REST API reference (ReDoc)', url: '/redoc', about: 'the same, as a reference to read' },
    { key: 'openapi', title: 'OpenAPI document', url: '/openapi.json', about: 'for client generators' },
    { key: 'socket_io', title: 'Socket.IO events', url: '/docs/socket-io', about: 'the call-center events of the legacy realtime API' },
    { key: 'health', title: 'Health', url: '/health', about: 'the services and their state' },
  ];
  const index = {
    name: 'Salesgraph',
    description: 'Federated GraphQL API for sales and call-center teams',
    links: Object.fromEntries(doors.map((door) => [door.key, door.url])),
  };
  const html = page(doors, playground);
  router.get('/', (req, res) => {
    res.vary('Accept');
    if (req.accepts(['json', 'html']) === 'html') res.type('html').send(html);
    else res.json(index);
  });
}

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function page(doors: Door[], playground: boolean): string {
  const items = doors
    .map(
      (d) =>
        `<li><a href="${escape(d.url)}">${escape(d.title)}</a> <code>${escape(d.url)}</code><br><small>${escape(d.about)}</small></li>`,
    )
    .join('');
  const start = playground
    ? `<p><a class="primary" href="/graphql">Open the playground</a></p><p>Its first tab signs you in; the token then goes with every other tab's operations.</p>`
    : `<p>Send GraphQL to <code>POST /graphql</code> with <code>Authorization: Bearer &lt;token&gt;</code>; the <code>login</code> mutation gives the token.</p>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Salesgraph API</title><style>
body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1b2433}
a.primary{display:inline-block;padding:.6rem 1.2rem;border-radius:.4rem;background:#3b4b68;color:#fff;text-decoration:none}
li{margin:.5rem 0}code{background:#eef1f5;padding:0 .3rem;border-radius:.2rem}small{color:#5b6578}
</style></head><body><h1>Salesgraph API</h1><p>A federated GraphQL API for sales and call-center teams.</p>${start}<h2>Doors</h2><ul>${items}</ul></body></html>`;
}

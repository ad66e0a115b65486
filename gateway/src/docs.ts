import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import { cachePolicy, CachePolicy } from './responses.js';

const require = createRequire(import.meta.url);
const swaggerUiDir = dirname(require.resolve('swagger-ui-dist/package.json'));
const redocBundle = join(dirname(require.resolve('redoc/package.json')), 'bundles', 'redoc.standalone.js');

const page = (title: string, head: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>${head}</head><body>${body}</body></html>`;

/** `/openapi.json`, Swagger UI at `/docs` and ReDoc at `/redoc`, all served from local packages (offline). */
export function mountDocs(router: Router, document: object): void {
  const documentText = JSON.stringify(document);
  router.get(['/openapi.json', '/docs', '/docs/init.js', '/redoc'], (_req, res, next) => {
    cachePolicy(res, CachePolicy.publicDocument);
    next();
  });
  router.get('/openapi.json', (_req, res) => void res.type('json').send(documentText));
  // Static files say their own policy (an hour, public); send leaves a policy already set in place.
  const ownPolicy: RequestHandler = (_req, res, next) => {
    res.removeHeader('Cache-Control');
    next();
  };
  router.use('/docs/assets', ownPolicy, express.static(swaggerUiDir, { index: false, maxAge: '1h' }));
  router.get('/docs/init.js', (_req, res) => {
    res
      .type('application/javascript')
      .send(
        `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });`,
      );
  });
  router.get('/docs', (_req, res) => {
    res
      .type('html')
      .send(
        page(
          'API docs',
          '<link rel="stylesheet" href="/docs/assets/swagger-ui.css">',
          '<div id="swagger-ui"></div><script src="/docs/assets/swagger-ui-bundle.js"></script><script src="/docs/assets/swagger-ui-standalone-preset.js"></script><script src="/docs/init.js"></script>',
        ),
      );
  });
  router.get('/redoc/redoc.standalone.js', ownPolicy, (_req, res) => void res.sendFile(redocBundle, { maxAge: '1h' }));
  router.get('/redoc', (_req, res) => {
    res
      .type('html')
      .send(
        page(
          'API reference',
          '<style>body{margin:0}</style>',
          '<redoc spec-url="/openapi.json"></redoc><script src="/redoc/redoc.standalone.js"></script>',
        ),
      );
  });
}

import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { ErrorBody } from '@kra/contracts';

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>k8s-resource-analyzer</title>
<body style="font-family:sans-serif;max-width:40rem;margin:4rem auto">
<h1>k8s-resource-analyzer</h1><p>The web console is not built. Run <code>npm run build</code> (or <code>npm start</code>, which builds it), then reload.</p>
<p>The API is up: <a href="/docs">/docs</a>.</p></body>`;

/** Serves the built console; any other GET outside /api is a client-side route and gets index.html. */
export async function registerWebConsole(app: FastifyInstance, webDist: string): Promise<void> {
  const built = fs.existsSync(path.join(webDist, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: true,
      index: 'index.html',
      cacheControl: false,
      // Bundles under assets/ are content-hashed and never change; everything else (index.html
      // above all) is revalidated, so an upgrade takes effect at once.
      setHeaders: (res, filePath) => {
        const hashed = filePath.startsWith(path.join(webDist, 'assets') + path.sep);
        res.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const isApi = request.url.startsWith('/api/') || request.url === '/api';
    if (request.method === 'GET' && !isApi) {
      if (!built) return reply.type('text/html').send(NOT_BUILT);
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    const body: ErrorBody = {
      error: 'not_found',
      message: `no route ${request.method} ${request.url.split('?')[0]}`,
      details: [],
    };
    return reply.code(404).send(body);
  });
}

/**
 * Vite builds the console into dist/: static files with hashed names, no inline script or style
 * (the CSP is `script-src 'self'; style-src 'self'`). `npm run dev` serves a /config.json for the
 * local cloud's default ports; the built app reads the one its host serves beside it.
 */
import type { Plugin } from 'vite';
import { defineConfig } from 'vite';

const localConfig = {
  issuer: 'http://localhost:4100',
  clientId: 'herald-console',
  scopes: [
    'openid',
    'events:read',
    'events:write',
    'subscriptions:read',
    'subscriptions:write',
    'keys:read',
    'keys:write',
    'audit:read',
    'tenant:export',
    'tenant:erase',
  ],
  apis: {
    ingest: 'http://localhost:4000',
    processing: 'http://localhost:4010',
    notifications: 'http://localhost:4020',
    tenants: 'http://localhost:4030',
  },
};

/** The dev server's /config.json (a file in public/ would be copied into every build). */
function devConfig(): Plugin {
  return {
    name: 'herald-console-dev-config',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use('/config.json', (_request, response) => {
        response.setHeader('content-type', 'application/json');
        response.setHeader('cache-control', 'no-store');
        response.end(JSON.stringify(localConfig));
      });
    },
  };
}

export default defineConfig({
  plugins: [devConfig()],
  server: { port: 5173, strictPort: true },
  preview: { port: 4173, strictPort: true },
  build: {
    target: 'es2022',
    // A data: URL would be inline content under the CSP: every asset is a file.
    assetsInlineLimit: 0,
    // The module preload polyfill is injected as code of its own; browsers that run the app have it.
    modulePreload: { polyfill: false },
    sourcemap: true,
  },
});

/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import type { IncomingMessage } from 'node:http';

// In development (and `vite preview` for the e2e run) the API lives on a
// running `signoff serve`; SIGNOFF_API names it.
const api = process.env.SIGNOFF_API ?? 'http://127.0.0.1:8080';
// A browser opening /graphql gets GraphiQL, as from the server; here it is
// this build's graphiql.html, not the one embedded in that server's binary.
const graphiqlPage = (req: IncomingMessage) =>
  req.method === 'GET' && /^\/graphql(\?|$)/.test(req.url ?? '') && req.headers.accept?.includes('text/html') ? '/graphiql.html' : undefined;
const proxy = {
  '/graphql': { target: api, ws: true, changeOrigin: false, bypass: graphiqlPage },
  '/ws': { target: api, ws: true },
  '/readyz': { target: api },
  // the reports' CSV exports (not /reports itself, a screen of the UI)
  '^/reports/[^/]+\\.csv': { target: api },
};

// The Content-Security-Policy the server sends with index.html and with
// GraphiQL (GET /graphql). `vite preview` sends it too, so the e2e run
// against a preview sees what production sees. (Not for `vite dev`: its
// React refresh preamble is an inline script.)
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
  "form-action 'self'",
].join('; ');

export default defineConfig({
  plugins: [react()],
  server: { proxy, host: '127.0.0.1' },
  preview: { proxy, headers: { 'Content-Security-Policy': CSP } },
  build: {
    manifest: true,
    chunkSizeWarningLimit: 1500,
    sourcemap: false,
    rolldownOptions: {
      // Two pages: the web UI, and GraphiQL (which the UI never loads).
      input: { main: 'index.html', graphiql: 'graphiql.html' },
      onLog(level, log, handler) {
        // GraphiQL's packages are built with the React Compiler and keep its
        // "use no memo" directives, which mean nothing once bundled.
        if (log.code === 'MODULE_LEVEL_DIRECTIVE' && log.message.includes('use no memo')) return;
        handler(level, log);
      },
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./src/test-setup.ts'],
    globals: true,
  },
});

/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// In development (and `vite preview` for the e2e run) the API lives on a
// running `signoff serve`; SIGNOFF_API names it.
const api = process.env.SIGNOFF_API ?? 'http://127.0.0.1:8080';
const proxy = {
  '/graphql': { target: api, ws: true, changeOrigin: false },
  '/ws': { target: api, ws: true },
  '/readyz': { target: api },
};

export default defineConfig({
  plugins: [react()],
  server: { proxy, host: '127.0.0.1' },
  preview: { proxy },
  build: {
    manifest: true,
    chunkSizeWarningLimit: 1500,
    sourcemap: false,
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./src/test-setup.ts'],
    globals: true,
  },
});

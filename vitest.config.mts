import { defineConfig } from 'vitest/config';

// Two projects: fast Node-side unit/integration tests, and end-to-end tests that
// drive the built renderer through the browser host in a real Chromium.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**'],
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          // A poll waits on a round trip through the browser host and a React render: 1 s (the
          // default) is too little on a loaded CI machine (evidence.test's filter once took longer).
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});

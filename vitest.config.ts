import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Needs root (mounts tmpfs): `npm run test:faults`.
    exclude: ['test/faults/root-faults.test.ts', '**/node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Trainers spawn their own worker threads; running test files one at a time keeps
    // the 2-core CI machine from being oversubscribed.
    fileParallelism: false,
  },
});

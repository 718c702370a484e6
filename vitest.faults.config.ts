import { defineConfig } from 'vitest/config';

// `npm run test:faults`: the fault-suite cases that need root (tmpfs mounts), apart from `npm test`.
export default defineConfig({
  test: {
    include: ['test/faults/root-faults.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});

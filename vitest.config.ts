import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
    // browser journeys poll the page while a busy machine renders it: the default 1 s gives up too early
    expect: { poll: { timeout: 20_000 } },
  },
});

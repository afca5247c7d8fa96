import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['infra/local/polyfills.ts'],
    // Starts DynamoDB Local only when DOCROUTE_TEST_DYNAMODB=dynamodb-local (npm run test:dynamodb-local).
    globalSetup: ['test/support/dynamodb-local-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});

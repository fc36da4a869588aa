// @ts-check
// End-to-end tests run Debian's Chromium (never a downloaded browser: this machine cannot fetch one).
import { defineConfig } from '@playwright/test';
import { PORT, HOST_PORT, HOST_DIR } from './tests/e2e/origins.mjs';

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: /.*\.spec\.mjs$/,
  outputDir: 'test-results',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: [
    {
      command: `cargo xtask serve --no-build --port ${PORT}`,
      url: `http://127.0.0.1:${PORT}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
    },
    {
      // Another origin, for the bundler and cross-origin specs (see tests/e2e/origins.mjs).
      command: `cargo xtask serve --no-build --port ${HOST_PORT} --dir ${HOST_DIR}`,
      port: HOST_PORT,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
    },
  ],
});

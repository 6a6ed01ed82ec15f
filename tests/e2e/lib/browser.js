'use strict';
// Debian's Chromium driven by playwright-core, with a fresh profile per launch.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const executablePath = process.env.SCORING_E2E_CHROMIUM || '/usr/bin/chromium';
const flags = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** @returns {Promise<{ context: import('playwright-core').BrowserContext, newPage(), close() }>} */
async function launchBrowser() {
  if (!fs.existsSync(executablePath)) {
    throw new Error(`Chromium is missing at ${executablePath}; run scripts/install-test-deps (or set SCORING_E2E_CHROMIUM)`);
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scoring-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: flags,
    viewport: { width: 900, height: 1000 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  context.setDefaultTimeout(30000);
  return {
    context,
    newPage: () => context.newPage(),
    close: async () => {
      await context.close().catch(() => {});
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

module.exports = { launchBrowser, executablePath };

#!/usr/bin/env node
'use strict';
// `npm test` in tests/e2e: installs what is missing (scripts/install-test-deps), builds the
// service (unless told not to), runs every test file one at a time with node's test runner, and
// ends with one machine-readable line:
//   e2e: N passed, N failed[, N skipped]
// Arguments, if any, are test files to run instead of all of test/*.test.js.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync, spawn } = require('node:child_process');
// Only Node built-ins here: this must run before node_modules exists.
const { settings, repoRoot } = require('./lib/service');

const here = __dirname;

// Quick when everything is present; installs chromium, fonts and node_modules otherwise.
function installPrerequisites() {
  if (process.env.SCORING_E2E_SKIP_INSTALL) return true;
  const result = spawnSync('bash', [path.join(repoRoot, 'scripts', 'install-test-deps')], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) console.error('e2e: scripts/install-test-deps failed; see its message above');
  return result.status === 0;
}

function buildService() {
  if (process.env.SCORING_E2E_SKIP_BUILD || process.env.SCORING_SERVICE_COMMAND) return true;
  const project = path.relative(repoRoot, settings.project);
  console.log(`e2e: building ${project} (${settings.configuration}); set SCORING_E2E_SKIP_BUILD=1 if the test command already did`);
  const result = spawnSync('dotnet', ['build', settings.project, '-c', settings.configuration, '-nologo', '-v', 'q', '-tl:off'],
    { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) console.error(`e2e: dotnet build ${project} failed (exit ${result.status ?? result.error?.message})`);
  return result.status === 0;
}

function summarize(tapFile) {
  const tap = fs.existsSync(tapFile) ? fs.readFileSync(tapFile, 'utf8') : '';
  const count = (name) => {
    const match = new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap);
    return match ? Number(match[1]) : 0;
  };
  return { passed: count('pass'), failed: count('fail') + count('cancelled'), skipped: count('skipped') + count('todo') };
}

function report({ passed, failed, skipped }) {
  console.log(`e2e: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
}

async function main() {
  if (!installPrerequisites()) {
    report({ passed: 0, failed: 1, skipped: 0 });
    return 1;
  }
  // A failed build fails every scenario (with this reason) but not the tests that need no service.
  if (!buildService()) process.env.SCORING_E2E_BUILD_FAILED = `dotnet build ${path.relative(repoRoot, settings.project)} failed (see its output above)`;

  const requested = process.argv.slice(2);
  const files = requested.length ? requested : fs.readdirSync(path.join(here, 'test'))
    .filter((f) => f.endsWith('.test.js'))
    // Quick checks of the harness and manifests first, then the scenarios.
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((f) => path.join('test', f));
  fs.rmSync(path.join(here, 'artifacts'), { recursive: true, force: true });

  // Databases, credentials and the report of this run; kept only when something failed.
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scoring-e2e-run-'));
  process.env.SCORING_E2E_SCRATCH = runDir;
  const tapFile = path.join(runDir, 'report.tap');
  const child = spawn(process.execPath, [
    '--test', '--test-concurrency=1', '--test-timeout=600000',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
    ...files,
  ], { cwd: here, stdio: 'inherit' });
  const code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
  const totals = summarize(tapFile);
  if (code !== 0 && totals.failed === 0) totals.failed = 1; // the runner itself failed
  console.log(`e2e: screenshots and transcripts in ${path.join(here, 'artifacts')}`);
  if (totals.failed === 0 && code === 0) fs.rmSync(runDir, { recursive: true, force: true });
  else console.log(`e2e: scratch databases and service credentials kept in ${runDir}`);
  report(totals);
  return totals.failed > 0 ? 1 : code;
}

function rank(file) {
  return file.startsWith('local-') ? 0 : file.startsWith('manifests') ? 1 : 2;
}

main().then((code) => process.exit(code), (error) => {
  console.error(error);
  report({ passed: 0, failed: 1, skipped: 0 });
  process.exit(1);
});

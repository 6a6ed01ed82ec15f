'use strict';
// Starts the real Scoring service (dotnet run --no-build) on a free loopback port with a scratch
// SQLite database, the demo street and a fixed clock; reads the demo credentials it writes.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { freePort } = require('./ports');
const { startProcess, stopProcess, tail } = require('./processes');
const { saveText } = require('./artifacts');

const repoRoot = path.resolve(__dirname, '..', '..', '..');

const settings = {
  project: path.resolve(repoRoot, process.env.SCORING_SERVICE_PROJECT || 'src/Scoring.Service'),
  configuration: process.env.SCORING_E2E_CONFIGURATION || 'Debug',
  startTimeoutMs: Number(process.env.SCORING_E2E_START_TIMEOUT_MS || 120000),
};

function makeScratchDir(label) {
  const root = process.env.SCORING_E2E_SCRATCH || os.tmpdir();
  fs.mkdirSync(root, { recursive: true });
  return fs.mkdtempSync(path.join(root, `scoring-e2e-${label}-`));
}

/**
 * @param {{ clockNow: string, scratchDir?: string, label?: string, extraArgs?: string[] }} options
 *   scratchDir: reuse a database from an earlier start (e.g. to restart in a later week).
 * @returns {Promise<{ baseUrl, botUrl, scratchDir, credentials, stop(), output() }>}
 */
async function startService({ clockNow, scratchDir, label = 'service', extraArgs = [] }) {
  if (process.env.SCORING_E2E_BUILD_FAILED) throw new Error(`cannot start the service: ${process.env.SCORING_E2E_BUILD_FAILED}`);
  scratchDir = scratchDir || makeScratchDir(label);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const credentialsPath = path.join(scratchDir, 'demo-credentials.json');
  const serviceArgs = [
    `--urls=${baseUrl}`,
    `--ConnectionStrings:Scoring=Data Source=${path.join(scratchDir, 'scoring.db')}`,
    '--Demo:Enabled=true',
    `--Demo:CredentialsPath=${credentialsPath}`,
    `--Clock:Now=${clockNow}`,
    '--Bot:AllowUnauthenticated=true',
    ...extraArgs,
  ];
  const [command, args] = serviceCommand(serviceArgs);
  const record = startProcess(command, args, {
    cwd: settings.project,
    env: { ASPNETCORE_ENVIRONMENT: 'Development', DOTNET_NOLOGO: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
    name: label,
  });

  const stop = async () => {
    await stopProcess(record);
    saveText(`${label}-service.log`, tail(record, 5000));
  };
  try {
    await waitForHealth(baseUrl, record);
    const credentials = await readCredentials(credentialsPath, record);
    return {
      baseUrl,
      botUrl: `${baseUrl}/api/messages`,
      scratchDir,
      credentials,
      stop,
      output: () => tail(record, 5000),
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

// SCORING_SERVICE_COMMAND replaces `dotnet run ...` (e.g. `dotnet path/to/Scoring.Service.dll`);
// the service's own arguments are appended to it.
function serviceCommand(serviceArgs) {
  const custom = process.env.SCORING_SERVICE_COMMAND;
  if (custom) {
    const words = custom.trim().split(/\s+/);
    return [words[0], [...words.slice(1), ...serviceArgs]];
  }
  return ['dotnet', [
    'run', '--project', settings.project, '--no-build', '--no-launch-profile',
    '-c', settings.configuration, '--', ...serviceArgs,
  ]];
}

async function waitForHealth(baseUrl, record) {
  const deadline = Date.now() + settings.startTimeoutMs;
  let lastProblem = 'no answer yet';
  let notFoundSince;
  while (Date.now() < deadline) {
    if (record.child.exitCode !== null || record.child.signalCode !== null) {
      throw new Error(
        `the service exited (${record.child.exitCode ?? record.child.signalCode}) before GET /healthz answered 200.\n` +
        `Was it built? The test command must build ${path.relative(repoRoot, settings.project)} (${settings.configuration}) first.\n` +
        `Last output:\n${tail(record)}`);
    }
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
      lastProblem = `GET /healthz answered ${response.status}`;
      // Up but without the endpoint: no point waiting out the whole timeout.
      notFoundSince = response.status === 404 ? notFoundSince ?? Date.now() : undefined;
      if (notFoundSince && Date.now() - notFoundSince > 5000) {
        throw new Error(`the service at ${baseUrl} answers but has no GET /healthz (404); DESIGN.md "Contract" requires it.\nLast output:\n${tail(record)}`);
      }
    } catch (error) {
      lastProblem = error.cause?.code || error.message;
    }
    await delay(250);
  }
  throw new Error(
    `the service did not answer GET ${baseUrl}/healthz with 200 within ${settings.startTimeoutMs / 1000} s ` +
    `(${lastProblem}).\nLast output:\n${tail(record)}`);
}

async function readCredentials(credentialsPath, record) {
  // The demo writes the file while starting; give it a moment after /healthz is up.
  const deadline = Date.now() + 15000;
  let lastProblem;
  while (Date.now() < deadline) {
    try {
      const credentials = JSON.parse(fs.readFileSync(credentialsPath, 'utf8'));
      checkCredentialsShape(credentials);
      return credentials;
    } catch (error) {
      lastProblem = error.message;
    }
    await delay(250);
  }
  throw new Error(`cannot read the demo credentials at ${credentialsPath}: ${lastProblem}\nLast output:\n${tail(record)}`);
}

function checkCredentialsShape(credentials) {
  if (!credentials || !Array.isArray(credentials.staff) || !Array.isArray(credentials.subjects)) {
    throw new Error('the demo credentials file has no staff[] and subjects[] (DESIGN.md "Contract")');
  }
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

module.exports = { startService, makeScratchDir, settings, repoRoot };

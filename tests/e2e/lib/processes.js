'use strict';
// Child processes of a test run. Each is started in its own process group so that stopping it
// also stops what it started (dotnet run starts the app as a grandchild).
const { spawn } = require('node:child_process');

const running = new Set();

function startProcess(command, args, { cwd, env, name }) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const record = { name, child, output: [] };
  const keep = (chunk) => {
    // Keep the last lines for error messages; the whole output goes to the log when verbose.
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      record.output.push(line);
      if (record.output.length > 5000) record.output.shift();
      if (process.env.SCORING_E2E_VERBOSE) process.stderr.write(`[${name}] ${line}\n`);
    }
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  running.add(record);
  child.exited.then(() => running.delete(record));
  return record;
}

async function stopProcess(record, graceMs = 5000) {
  const { child } = record;
  if (child.exitCode !== null || child.signalCode !== null) return;
  signalGroup(child.pid, 'SIGTERM');
  const timer = new Promise((resolve) => setTimeout(resolve, graceMs, 'timeout'));
  if (await Promise.race([child.exited, timer]) === 'timeout') {
    signalGroup(child.pid, 'SIGKILL');
    await child.exited;
  }
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

function tail(record, lines = 40) {
  return record.output.slice(-lines).join('\n');
}

// A test file that crashes or is interrupted must not leave servers behind.
const killAll = () => { for (const record of running) signalGroup(record.child.pid, 'SIGKILL'); };
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => { killAll(); process.exit(signal === 'SIGINT' ? 130 : 143); });
}

module.exports = { startProcess, stopProcess, tail };

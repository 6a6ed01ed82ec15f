'use strict';
// Runs lib/directline-server.js (offline-directline + the Web Chat page) as a child process.
const path = require('node:path');
const { startProcess, stopProcess, tail } = require('./processes');
const { saveText } = require('./artifacts');

/** @returns {Promise<{ url, directLineDomain, stop(), output() }>} */
async function startDirectLine(botUrl, { port = 0, timeoutMs = 30000, label = 'directline' } = {}) {
  const record = startProcess(process.execPath,
    [path.join(__dirname, 'directline-server.js'), '--bot', botUrl, '--port', String(port)],
    { cwd: path.join(__dirname, '..'), env: {}, name: label });
  const stop = async () => {
    await stopProcess(record);
    saveText(`${label}.log`, tail(record, 5000));
  };
  const listening = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`offline-directline did not start within ${timeoutMs} ms:\n${tail(record)}`)), timeoutMs);
    let buffer = '';
    record.child.stdout.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const line = buffer.split('\n').find((l) => l.includes('"event":"listening"'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line));
      }
    });
    record.child.exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`offline-directline exited (${code}) while starting:\n${tail(record)}`));
    });
  }).catch(async (error) => {
    await stop();
    throw error;
  });
  return { url: listening.url, directLineDomain: listening.directLineDomain, stop, output: () => tail(record, 5000) };
}

module.exports = { startDirectLine };

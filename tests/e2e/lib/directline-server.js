'use strict';
// A local Direct Line 3.0 endpoint (offline-directline) plus the Web Chat page, in one
// loopback-only HTTP server. Started in its own process by tests and scripts/webchat:
//   node lib/directline-server.js --bot http://127.0.0.1:5000/api/messages [--port 0] [--host 127.0.0.1]
// It prints one JSON line {"event":"listening","url":...} on stdout once it accepts requests.
const path = require('node:path');

const offlineDir = path.dirname(require.resolve('offline-directline/package.json'));
const requireFromOffline = (name) => require(require.resolve(name, { paths: [offlineDir] }));

// offline-directline forwards client messages with isomorphic-fetch and never catches a failed
// fetch: with the bot down the client request hangs and the process gets an unhandled rejection.
// Swap in a fetch that answers 502 instead, before the bridge module captures it.
const fetchPath = require.resolve('isomorphic-fetch', { paths: [offlineDir] });
const realFetch = require(fetchPath);
const verbose = Boolean(process.env.SCORING_E2E_VERBOSE);
require.cache[fetchPath].exports = function fetchToBot(url, options) {
  const kind = describeActivity(options && options.body);
  return realFetch(url, options).then(
    (response) => {
      if (verbose || response.status >= 300) {
        process.stderr.write(`directline: bot answered ${response.status} to ${kind}\n`);
      }
      return response;
    },
    (error) => {
      process.stderr.write(`directline: bot unreachable at ${url} (${error.message}); answering 502 to ${kind}\n`);
      return { status: 502, ok: false };
    });
};

function describeActivity(body) {
  try {
    const activity = JSON.parse(body);
    return `${activity.type} ${activity.id}`;
  } catch {
    return 'a request';
  }
}

const express = requireFromOffline('express');
const { getRouter } = require('offline-directline');

// The package's exports map hides dist/, so locate the prebuilt bundle by path.
const webChatBundle = path.join(__dirname, '..', 'node_modules', 'botframework-webchat', 'dist', 'webchat.js');
if (!require('node:fs').existsSync(webChatBundle)) {
  throw new Error(`${webChatBundle} is missing: run scripts/install-test-deps`);
}
const pagePath = path.join(__dirname, '..', 'webchat', 'index.html');

/**
 * Starts the server. Resolves to { url, directLineDomain, close() }.
 * @param {{ botUrl: string, port?: number, host?: string }} options
 */
function startDirectLineServer({ botUrl, port = 0, host = '127.0.0.1' }) {
  const app = express();
  app.disable('x-powered-by');
  app.get('/', (req, res) => res.type('html').sendFile(pagePath));
  app.get('/webchat.js', (req, res) => res.type('js').sendFile(webChatBundle));
  app.get('/favicon.ico', (req, res) => res.status(204).end());
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      const url = `http://${host}:${server.address().port}`;
      // The bot replies to serviceUrl + /v3/conversations/...; the router serves both sides.
      app.use(getRouter(url, botUrl));
      resolve({
        url,
        directLineDomain: `${url}/directline`,
        close: () => new Promise((done) => {
          server.closeAllConnections?.();
          server.close(() => done());
        }),
      });
    });
  });
}

module.exports = { startDirectLineServer };

if (require.main === module) {
  const args = parseArgs(process.argv.slice(2));
  if (!args.bot) {
    process.stderr.write('usage: node lib/directline-server.js --bot <url of /api/messages> [--port N] [--host 127.0.0.1]\n');
    process.exit(2);
  }
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`directline: unhandled rejection: ${reason && reason.stack || reason}\n`);
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
  startDirectLineServer({ botUrl: args.bot, port: Number(args.port || 0), host: args.host || '127.0.0.1' })
    .then(({ url, directLineDomain }) => {
      process.stdout.write(JSON.stringify({ event: 'listening', url, directLineDomain, botUrl: args.bot }) + '\n');
      process.stderr.write(`Local Direct Line at ${directLineDomain}, talking to the bot at ${args.bot}\n` +
        `Open the Web Chat:  ${url}/?user=alice&name=Alice\n` +
        `  (one chat account per ?user=...; &locale=en-US for English; Ctrl+C stops)\n`);
    })
    .catch((error) => {
      process.stderr.write(`directline: cannot listen: ${error.message}\n`);
      process.exit(1);
    });
}

function parseArgs(argv) {
  const result = {};
  for (let i = 0; i < argv.length; i += 1) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!match) continue;
    result[match[1]] = match[2] !== undefined ? match[2] : argv[++i];
  }
  return result;
}

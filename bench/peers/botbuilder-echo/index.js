// Peer for the message benchmark: the smallest bot the official botbuilder JS SDK allows,
// served the way its samples do (CloudAdapter.process), on a plain Node http server so
// that restify's own cost does not count against the peer.
'use strict';

const http = require('http');
const {
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
} = require('botbuilder');

const port = Number(process.env.PORT || process.argv[2] || 3978);
const host = process.env.HOST || '127.0.0.1';

// An empty configuration object is required: the no-argument constructor fails every
// request in 4.23.3. No app id means the SDK accepts anonymous requests.
const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
adapter.onTurnError = async (context, error) => {
  console.error(`turn error: ${error && error.message}`);
  await context.sendActivity('error');
};

async function echo(context) {
  if (context.activity.type === ActivityTypes.Message) {
    await context.sendActivity(`echo: ${context.activity.text || ''}`);
  }
}

// CloudAdapter.process expects restify/express-like request and response objects:
// a parsed body on req, and status/header/send/end on res.
function asResponse(res) {
  let statusCode = 200;
  const headers = {};
  return {
    status(code) { statusCode = code; return this; },
    header(name, value) { headers[name] = value; return this; },
    send(body) {
      if (body === undefined) {
        res.writeHead(statusCode, headers);
        res.end();
        return this;
      }
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      if (typeof body !== 'string') headers['Content-Type'] = 'application/json; charset=utf-8';
      res.writeHead(statusCode, headers);
      res.end(text);
      return this;
    },
    end() {
      if (!res.writableEnded) {
        if (!res.headersSent) res.writeHead(statusCode, headers);
        res.end();
      }
      return this;
    },
  };
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/healthz') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('ok');
    return;
  }
  if (req.method !== 'POST' || req.url !== '/api/messages') {
    res.writeHead(404);
    res.end();
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    try {
      req.body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400);
      res.end();
      return;
    }
    adapter.process(req, asResponse(res), echo).catch((err) => {
      console.error(`process failed: ${err && err.message}`);
      if (!res.headersSent) res.writeHead(500);
      if (!res.writableEnded) res.end();
    });
  });
});

server.keepAliveTimeout = 65000;
server.listen(port, host, () => {
  console.log(`botbuilder echo listening on http://${host}:${port}/api/messages`);
});

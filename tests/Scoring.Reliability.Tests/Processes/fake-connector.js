'use strict';
// A Bot Framework connector for scripts/reliability: answers every reply 200 (empty body, like offline
// Direct Line) and appends one JSON line per delivery to a file, so the script can tell what arrived.
//   node fake-connector.js --port-file F --deliveries F
const http = require('node:http');
const fs = require('node:fs');

const arg = (name) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const deliveries = arg('--deliveries');
const portFile = arg('--port-file');

const server = http.createServer((req, res) => {
  const parts = req.url.split('/').filter(Boolean);
  if (req.method !== 'POST' || parts[0] !== 'v3' || parts[1] !== 'conversations' || parts[3] !== 'activities') {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let text = '';
    try { text = JSON.parse(Buffer.concat(chunks).toString('utf8')).text || ''; } catch { /* counted anyway */ }
    fs.appendFileSync(deliveries, JSON.stringify({
      conversation: decodeURIComponent(parts[2]),
      replyTo: parts[4] ? decodeURIComponent(parts[4]) : null,
      text,
    }) + '\n');
    res.writeHead(200).end();
  });
});
server.listen(0, '127.0.0.1', () => fs.writeFileSync(portFile, String(server.address().port)));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

'use strict';
// After a crash: every acknowledged report is in the ledger exactly once, and (once the outbox has drained)
// every acknowledged report answered through the connector reached it.
//   node check-ledger.js --db F --acked F [--deliveries F]   (prints one JSON line; exit 1 on a failure)
const fs = require('node:fs');
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');

const arg = (name) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const db = arg('--db');
const readLines = (f) => (f && fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
const query = (sql) => execFileSync('sqlite3', ['-readonly', db, sql], { encoding: 'utf8', maxBuffer: 1 << 28 }).split('\n').filter(Boolean);

// The ledger source of a chat turn, as the service derives it from channel, conversation and activity id.
const sourceOf = (channel, conversation, id) => 'chat:' + crypto.createHash('sha256')
  .update(`${channel.length}:${channel}\n${conversation.length}:${conversation}\n${id.length}:${id}\n`, 'utf8').digest('hex');

const acked = readLines(arg('--acked'));
const counts = new Map();
for (const line of query('SELECT source, count(*) FROM score_events GROUP BY source')) {
  const [source, n] = line.split('|');
  counts.set(source, Number(n));
}
const problems = [];
// Checking zero acknowledged reports proves nothing: the clients must have been heard.
if (acked.length === 0) problems.push('no report was acknowledged');
for (const a of acked) {
  const n = counts.get(sourceOf('emulator', `conv-load-${a.user}`, a.id)) || 0;
  if (n !== 1) problems.push(`${a.id} is in the ledger ${n} times`);
}
const result = { acked: acked.length, events: [...counts.values()].reduce((s, n) => s + n, 0) };
const deliveriesFile = arg('--deliveries');
if (deliveriesFile) {
  const delivered = new Map();
  for (const d of readLines(deliveriesFile)) delivered.set(d.replyTo, (delivered.get(d.replyTo) || 0) + 1);
  const viaConnector = acked.filter((a) => !a.expectReplies);
  for (const a of viaConnector) if (!delivered.has(a.id)) problems.push(`the reply to ${a.id} never reached the connector`);
  result.repliesExpected = viaConnector.length;
  result.repliesDelivered = viaConnector.filter((a) => delivered.has(a.id)).length;
  result.repliesDeliveredTwice = viaConnector.filter((a) => (delivered.get(a.id) || 0) > 1).length;
  result.outboxWaiting = Number(query('SELECT count(*) FROM bot_outbox WHERE sent_at IS NULL AND dead_lettered_at IS NULL')[0]);
  result.deadLetters = Number(query('SELECT count(*) FROM bot_outbox WHERE dead_lettered_at IS NOT NULL')[0]);
  if (result.outboxWaiting > 0) problems.push(`${result.outboxWaiting} outbox messages still waiting`);
}
result.problems = problems.slice(0, 10);
process.stdout.write(JSON.stringify(result) + '\n');
process.exit(problems.length ? 1 : 0);

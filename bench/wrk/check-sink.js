// Used by bench/quick-check: a sink that receives what bench/wrk/messages.lua sends and, on
// SIGTERM, says whether the stream is what the benchmark claims: valid activities with every
// required field, expectReplies, unique ids, users within range, and the advertised mix.
'use strict';

const http = require('http');

const port = Number(process.argv[2]);
const users = Number(process.argv[3] || 10000);
const ids = new Set();
const problems = [];
const mix = { return: 0, score: 0, service: 0 };
let received = 0;

function check(activity) {
  const missing = ['type', 'id', 'timestamp', 'channelId', 'serviceUrl', 'locale', 'text']
    .filter((k) => typeof activity[k] !== 'string' || activity[k] === '');
  if (missing.length) return `missing ${missing.join(', ')}`;
  if (activity.type !== 'message' || activity.channelId !== 'emulator') return 'not an emulator message';
  if (activity.deliveryMode !== 'expectReplies') return 'deliveryMode is not expectReplies';
  if (ids.has(activity.id)) return `duplicate id ${activity.id}`;
  ids.add(activity.id);
  const user = /^load-(\d+)$/.exec((activity.from || {}).id || '');
  if (!user || Number(user[1]) >= users) return `from.id out of range: ${JSON.stringify(activity.from)}`;
  const i = user[1];
  if ((activity.conversation || {}).id !== `conv-load-${i}`) return 'conversation does not match the user';
  if (!(activity.recipient || {}).id) return 'no recipient';
  if (activity.text === '积分') mix.score++;
  else if (new RegExp(`^返回 租客${i} 今天 0[0-7]:[0-5][0-9]$`).test(activity.text)) mix.return++;
  else if (activity.text === `代办 租客${i} 买菜`) mix.service++;
  else return `unexpected text ${activity.text}`;
  return null;
}

http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    received++;
    let problem;
    try {
      problem = check(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    } catch (e) {
      problem = `invalid JSON: ${e.message}`;
    }
    if (problem && problems.length < 5) problems.push(problem);
    res.writeHead(problem ? 400 : 200, { 'Content-Type': 'application/json' });
    res.end('{"activities":[]}');
  });
}).listen(port, '127.0.0.1', () => console.log('ready'));

process.on('SIGTERM', () => {
  const share = (n) => (received ? n / received : 0);
  const shares = { return: share(mix.return), score: share(mix.score), service: share(mix.service) };
  // 40/40/20 as advertised, with room for chance in a short run.
  const mixOk = Math.abs(shares.return - 0.4) < 0.05 && Math.abs(shares.score - 0.4) < 0.05
    && Math.abs(shares.service - 0.2) < 0.05;
  if (received < 100) problems.push(`only ${received} requests received`);
  if (!mixOk) problems.push(`mix is ${JSON.stringify(shares)}, not 40/40/20`);
  console.log(problems.length
    ? `FAIL ${problems.join('; ')}`
    : `OK ${received} activities, ${ids.size} unique ids, mix ${JSON.stringify(mix)}`);
  process.exit(0);
});

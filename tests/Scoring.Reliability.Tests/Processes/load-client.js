'use strict';
// Retrying chat clients for scripts/reliability: reports from the Demo:Scale landlords, each with a unique
// activity id, sent again and again until the service answers 200 (through crashes and restarts). Every
// acknowledged report is appended to a file at once, so the script can check it survived.
// Half ask for the replies in the response (expectReplies), half get them through the connector.
//   node load-client.js --url U --connector U --users N --workers W --prefix P --acked F --stop-file F
const fs = require('node:fs');

const arg = (name, fallback) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : fallback; };
const url = arg('--url');
const connector = arg('--connector');
const users = Number(arg('--users', '50'));
const workers = Number(arg('--workers', '6'));
const prefix = arg('--prefix', 'crash');
const acked = arg('--acked');
const stopFile = arg('--stop-file');
const pauseMs = Number(arg('--pause-ms', '30'));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let next = 0;
const stats = { acked: 0, attempts: 0, refused: 0, errors5xx: 0, timeouts: 0, other: 0 };

async function deliver(n) {
  const user = n % users;
  const expectReplies = n % 2 === 0;
  const id = `${prefix}-${n}`;
  const activity = {
    type: 'message', id, channelId: 'emulator', serviceUrl: connector,
    from: { id: `load-${user}` }, recipient: { id: 'scoring-bot', role: 'bot' },
    conversation: { id: `conv-load-${user}` }, locale: 'zh-CN',
    text: `违规 租客${user} 第${n}次夜间喧哗`,
  };
  if (expectReplies) activity.deliveryMode = 'expectReplies';
  const body = JSON.stringify(activity);
  for (;;) {
    stats.attempts++;
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(15000) });
      const text = await res.text();
      if (res.status === 200) {
        const event = expectReplies ? (/编号：(\S+)/.exec(text) || [])[1] || null : null;
        fs.appendFileSync(acked, JSON.stringify({ id, user, expectReplies, event }) + '\n');
        stats.acked++;
        return;
      }
      if (res.status >= 500) stats.errors5xx++; else stats.other++;
    } catch (e) {
      if (e.name === 'TimeoutError') stats.timeouts++; else stats.refused++;
    }
    await sleep(200);
  }
}

async function worker() {
  while (!fs.existsSync(stopFile)) {
    await deliver(next++);
    await sleep(pauseMs);
  }
}

Promise.all(Array.from({ length: workers }, worker)).then(() => {
  process.stdout.write(JSON.stringify(stats) + '\n');
});

'use strict';
// Writes the figures of a full scripts/reliability run into docs/reliability.md, between the markers
// <!-- figures:start --> and <!-- figures:end --> (the rest of the document is prose kept by hand).
//   node write-figures.js --figures run.jsonl --doc docs/reliability.md --passed N --failed N --machine TEXT
const fs = require('node:fs');

const arg = (name) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const figures = fs.readFileSync(arg('--figures'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const doc = arg('--doc');
const by = (check) => figures.filter((f) => f.check === check).at(-1);
const n = (v) => (v === undefined || v === null ? '–' : typeof v === 'number' ? v.toLocaleString('en-US') : String(v));

const lines = [];
lines.push(`Latest full run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${arg('--machine')}; ` +
  `${arg('--passed')} script checks passed, ${arg('--failed')} failed (the in-process suites count as one check).`);
lines.push('');
lines.push('| check | figures |');
lines.push('|---|---|');
const row = (name, f, text) => { if (f) lines.push(`| ${name} | ${text(f)} |`); };
row('Duplicate storm, chat', by('storm-chat'), (f) => `${n(f.reports)} reports in ${n(f.deliveries)} deliveries (${n(f.duplicates)} duplicates, 1–3 copies at once) → ${n(f.events)} events; every copy got the first answer; ${n(f.deliveriesPerSecond)} deliveries/s, p50 ${n(f.p50ms)} ms, p99 ${n(f.p99ms)} ms, max ${n(f.maxMs)} ms (in-process, ${f.full ? 'full' : 'quick'} size)`);
row('Duplicate storm, API with Idempotency-Key', by('storm-api'), (f) => `${n(f.reports)} reports in ${n(f.deliveries)} requests (${n(f.duplicates)} duplicates) → ${n(f.events)} events; ${n(f.inFlight409)} "still running" 409s retried by the client; ${n(f.deliveriesPerSecond)} requests/s, p50 ${n(f.p50ms)} ms, p99 ${n(f.p99ms)} ms`);
row('Crash safety (real process, SIGKILL)', by('crash'), (f) => `${n(f.kills)} kills (${n(f.killedWhileStarting)} while starting); ${n(f.acknowledged)} acknowledged reports, each in the ledger once (${n(f.events)} events); clients: ${n(f.clientAttempts)} attempts, ${n(f.refusedConnections)} refused connections, ${n(f.answers5xx)} 5xx, ${n(f.clientTimeouts)} timeouts; restart to healthy avg ${n(f.restartMsAvg)} ms, max ${n(f.restartMsMax)} ms; replies via the connector: ${n(f.repliesDelivered)}/${n(f.repliesViaConnector)} delivered (${n(f.repliesDeliveredTwice)} twice), ${n(f.deadLetters)} dead letters`);
row('Connector faults (30% failing channel)', by('connector-faults'), (f) => `${n(f.messages)} messages (${n(f.delivered)} deliverable): all delivered, ${n(f.deliveredTwice)} twice; ${n(f.deadLetters)} dead letters (the two undeliverable conversations); ${n(f.attemptsSeen)} sends seen, ${n(f.failedShare)}% failed (429 ${n(f.TooManyRequests)}, 500 ${n(f.ServerError)}, 502 ${n(f.BadGateway)}, no answer ${n(f.Timeout)}, reset ${n(f.Reset)}), ${n(f.outages)} outage(s) with nothing listening; drained in ${n(f.secondsToDrain)} s`);
row('Write lock held by another connection', by('db-lock-in-process'), (f) => `${n(f.holdSeconds)} s hold: ${n(f.reads)} reads, slowest ${n(f.readSecondsMax)} s; ${n(f.acknowledged)}/${n(f.writes)} writes acknowledged after waiting (slowest ${n(f.writeSecondsMax)} s); next write ${n(f.writeSecondsAfter)} s`);
row('Write lock held by another process (sqlite3)', by('lock-process'), (f) => `${n(f.holdSeconds)} s hold: ${n(f.reads)} reads, slowest ${n(f.readSecondsMax)} s; ${n(f.acknowledged)}/${n(f.writes)} writes acknowledged (slowest ${n(f.writeSecondsMax)} s); next write ${n(f.afterSeconds)} s`);
row('Full disk (tmpfs), in process', by('disk-full-in-process'), (f) => `chat write ${f.chatWrite}, API write ${f.apiWrite}, keyed API write ${f.keyedApiWrite} (all with Retry-After); read ${f.read}, /healthz ${f.health}; writes back ${n(f.secondsToRecover)} s after space returned`);
row('Full disk (tmpfs), real process', by('disk-process'), (f) => `write ${f.write} with Retry-After ${f.retryAfter} s, read ${f.read}, /healthz ${f.health}; writes back ${n(f.recoverMs)} ms after space returned`);
row('Hostile input', by('hostile'), (f) => `${n(f.requests)} hostile requests: ${n(f.answers4xx)} 4xx, ${n(f.answers2xx)} 2xx (chat replies, the one good token), 0 5xx; ledger unchanged`);
row('Chat authorization matrix', by('chat-matrix'), (f) => `${n(f.cases)} command × role cases (${n(f.allowed)} allowed, ${n(f.refused)} refused)`);
row('Privacy', by('privacy'), (f) => `${n(f.logLines)} log lines scanned, 0 secrets; public outputs checked: ${f.outputs}`);

const text = fs.readFileSync(doc, 'utf8');
const start = '<!-- figures:start -->';
const end = '<!-- figures:end -->';
const a = text.indexOf(start);
const b = text.indexOf(end);
if (a < 0 || b < a) throw new Error(`${doc} has no ${start} … ${end} section`);
fs.writeFileSync(doc, text.slice(0, a + start.length) + '\n' + lines.join('\n') + '\n' + text.slice(b));

'use strict';
// The local Direct Line wrapper itself (no Scoring service needed): loopback only, serves the
// Web Chat page and bundle, and turns an unreachable bot into a 502 instead of a hung request.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startDirectLine } = require('../lib/directline');
const { freePort } = require('../lib/ports');

let directLine;

before(async () => {
  const nobodyListens = await freePort();
  directLine = await startDirectLine(`http://127.0.0.1:${nobodyListens}/api/messages`, { label: 'local-directline' });
});

after(async () => {
  await directLine?.stop();
});

test('it listens on the loopback interface only', () => {
  assert.match(directLine.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(directLine.directLineDomain, `${directLine.url}/directline`);
});

test('it serves the Web Chat page and the prebuilt webchat.js from node_modules', async () => {
  const page = await fetch(`${directLine.url}/`);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /<script src="\/webchat\.js"><\/script>/);
  assert.doesNotMatch(html, /https?:\/\/(?!127\.0\.0\.1)[^"']*\.js/, 'no script from a CDN');
  const bundle = await fetch(`${directLine.url}/webchat.js`);
  assert.equal(bundle.status, 200);
  assert.match(bundle.headers.get('content-type'), /javascript/);
  assert.ok((await bundle.arrayBuffer()).byteLength > 1_000_000, 'the full Web Chat bundle');
});

test('a conversation with an unreachable bot fails fast with 502', async () => {
  const response = await fetch(`${directLine.directLineDomain}/conversations`, {
    method: 'POST', signal: AbortSignal.timeout(15000),
  });
  assert.equal(response.status, 502);
  assert.match(directLine.output(), /bot unreachable/);
});

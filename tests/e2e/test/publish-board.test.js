'use strict';
// Scenario 4: the week is scored, then (service restarted on the same database with the clock in
// the following week) a street officer publishes it through the API and the public notice board
// is opened in Chromium.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startService } = require('../lib/service');
const { startDirectLine } = require('../lib/directline');
const { launchBrowser } = require('../lib/browser');
const { DirectLineAccount, activityText } = require('../lib/directline-client');
const { artifactPath } = require('../lib/artifacts');
const demo = require('../lib/demo');

const WEEK = '2026-W47';
const DURING_WEEK = '2026-11-18T09:00:00+08:00';
const FOLLOWING_WEEK = '2026-11-24T09:00:00+08:00';
const publishPath = `/api/streets/houzhai/lists/${WEEK}/publish`;

let service, scratchDir, landlord, officer;
const stoppers = [];

before(async () => {
  // During the week: a landlord reports a late return in one line and the secretary approves it.
  service = await startService({ clockNow: DURING_WEEK, label: 'publish' });
  scratchDir = service.scratchDir;
  landlord = demo.landlordWithTenants(service.credentials);
  officer = demo.officer(service.credentials);
  const secretary = demo.secretaryOf(service.credentials, landlord.community);
  const directLine = await startDirectLine(service.botUrl, { label: 'publish-directline' });
  const chat = new DirectLineAccount({ directLineDomain: directLine.directLineDomain, userId: demo.uniqueUserId('landlord') });
  try {
    await chat.connect();
    await chat.say(`绑定 ${landlord.enrolmentCode}`);
    await chat.say(`返回 ${landlord.tenants[0]} 2026-11-16 08:30`, { until: (a) => /[-−]\s*2/.test(activityText(a)) });
  } finally {
    chat.end();
    await directLine.stop();
  }
  const [item] = await demo.pendingItemsFor(service, secretary, landlord.id);
  assert.ok(item, 'the one-line report is pending');
  const approval = await demo.callApi(service.baseUrl, 'POST', `/api/events/${encodeURIComponent(item.id)}/approve`, { token: secretary.token });
  assert.ok(approval.status >= 200 && approval.status < 300, `approve answered ${approval.status}: ${approval.text}`);

  const early = await demo.callApi(service.baseUrl, 'POST', publishPath, { token: officer.token, body: { kind: 'landlord' } });
  assert.equal(early.status, 409, `publishing before the week is over answers 409, got ${early.status}: ${early.text}`);
  await service.stop();

  service = await startService({ clockNow: FOLLOWING_WEEK, scratchDir, label: 'publish-next-week' });
});

after(async () => {
  for (const stop of stoppers.reverse()) await stop();
  await service?.stop();
});

test('scenario 4: an officer publishes last week through the API and the notice board shows it in Chromium', async () => {
  const published = await demo.callApi(service.baseUrl, 'POST', publishPath, { token: officer.token, body: { kind: 'landlord' } });
  assert.equal(published.status, 201, `publish answered ${published.status}: ${published.text}`);
  const snapshot = published.body;
  assert.equal(snapshot.week, WEEK);
  assert.equal(snapshot.kind, 'landlord');
  assert.ok(Array.isArray(snapshot.red) && Array.isArray(snapshot.black), 'the snapshot has red and black lists');
  assert.ok(snapshot.black.length >= 1, 'a landlord below the base is on the black list');
  // The officer who publishes is staff and sees full names; the public list below is masked.
  const fullNames = service.credentials.subjects.map((s) => s.name).filter((n) => n.length >= 2);

  const again = await demo.callApi(service.baseUrl, 'POST', publishPath, { token: officer.token, body: { kind: 'landlord' } });
  assert.equal(again.status, 200, 'publishing an unchanged week again returns the existing snapshot');
  assert.equal(again.body.contentHash, snapshot.contentHash);

  const publicList = await demo.callApi(service.baseUrl, 'GET', `/api/streets/houzhai/lists/${WEEK}?kind=landlord`);
  assert.equal(publicList.status, 200);
  assert.equal(publicList.body.contentHash, snapshot.contentHash);
  assert.ok(publicList.body.black.length >= 1, 'the public list shows the black list too');
  for (const entry of [...publicList.body.red, ...publicList.body.black]) {
    assert.ok(!fullNames.includes(entry.name), `public names are masked: ${entry.name}`);
  }

  const browser = await launchBrowser();
  stoppers.push(() => browser.close());
  const page = await browser.newPage();
  const response = await page.goto(`${service.baseUrl}/streets/houzhai/board/${WEEK}`);
  assert.equal(response.status(), 200);
  const board = await page.locator('body').innerText();
  assert.match(board, /W47|第\s*47\s*周/, 'the board names the week');
  for (const entry of [...publicList.body.red, ...publicList.body.black]) {
    assert.ok(board.includes(entry.name), `the board lists ${entry.name}`);
  }
  assert.ok(!board.includes(landlord.name), 'the board does not show the full name');
  await page.screenshot({ path: artifactPath('4-notice-board.png'), fullPage: true });
});

test('scenario 4b: an officer publishes the shop heads\' list in chat through botframework-directlinejs: a private preview, then the 确认发布 button', async () => {
  const directLine = await startDirectLine(service.botUrl, { label: 'publish-chat-directline' });
  stoppers.push(() => directLine.stop());
  const chat = new DirectLineAccount({ directLineDomain: directLine.directLineDomain, userId: demo.uniqueUserId('officer') });
  stoppers.push(async () => chat.end());
  await chat.connect();
  await chat.say(`绑定 ${officer.enrolmentCode}`, { until: (a) => /绑定成功/.test(activityText(a)) });

  const preview = await chat.say('发布 上周 铺长', { until: (a) => /预览/.test(activityText(a)) });
  assert.match(activityText(preview), new RegExp(`${WEEK} 铺长红黑榜预览`), 'the officer sees the list before it is frozen');
  const confirm = (preview.suggestedActions?.actions || []).find((b) => /确认发布/.test(b.title));
  assert.ok(confirm, `the preview offers 确认发布: ${JSON.stringify(preview.suggestedActions)}`);
  const published = await chat.press(confirm, { until: (a) => /已发布/.test(activityText(a)) });

  const publicList = await demo.callApi(service.baseUrl, 'GET', `/api/streets/houzhai/lists/${WEEK}?kind=shop-head`);
  assert.equal(publicList.status, 200, 'the shop heads\' list is public once published in chat');
  assert.match(activityText(published), /第 1 版/);
  assert.ok(activityText(published).includes(publicList.body.contentHash.slice(0, 12)), 'the reply names the published list\'s hash');
  assert.ok(activityText(published).includes(`/streets/houzhai/board/${WEEK}`), 'the reply says where the notice board is');
});

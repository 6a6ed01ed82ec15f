'use strict';
// Scenarios 1 and 2: a landlord and the community secretary, each in their own Web Chat page
// (botframework-webchat served locally, Chromium), talking to the real service through
// offline-directline.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startService } = require('../lib/service');
const { startDirectLine } = require('../lib/directline');
const { launchBrowser } = require('../lib/browser');
const { WebChatPage } = require('../lib/webchat-page');
const demo = require('../lib/demo');

const CLOCK = '2026-11-18T09:00:00+08:00'; // Wednesday of 2026-W47
const ARRIVAL = '2026-11-16 08:30'; // more than 24 h before the clock: a late return
const NOT_ACCEPTED = /无效|错误|失败|过期|不认识|invalid|error|expired|unknown/i;
const ASKS_ARRIVAL = /到达|时间|何时|什么时候|哪天|几点|when|time|arriv/i;
const PENDING = /待核查|待审核|待确认|待处理|pending/i;

let service, directLine, browser;
let landlord, secretary, balanceBefore, lateReturn;
let landlordChat, secretaryChat;

before(async () => {
  service = await startService({ clockNow: CLOCK, label: 'webchat' });
  directLine = await startDirectLine(service.botUrl, { label: 'webchat-directline' });
  browser = await launchBrowser();
  landlord = demo.landlordWithTenants(service.credentials);
  secretary = demo.secretaryOf(service.credentials, landlord.community);
  balanceBefore = await demo.balanceOf(service, secretary, landlord.id);
});

after(async () => {
  await browser?.close();
  await directLine?.stop();
  await service?.stop();
});

test('scenario 1: a landlord binds in Web Chat, reports a late return step by step with buttons, and reads the score', async (t) => {
  landlordChat = await WebChatPage.open(browser.context, directLine.url,
    { userId: demo.uniqueUserId('landlord'), name: landlord.name, label: 'landlord' });

  const bound = await landlordChat.say(`绑定 ${landlord.enrolmentCode}`);
  assert.doesNotMatch(bound, NOT_ACCEPTED, 'the enrolment code is accepted');

  // 返回 alone: the bot asks which tenant and offers them as buttons.
  await landlordChat.say('返回');
  const buttons = await landlordChat.suggestedActions();
  for (const tenant of landlord.tenants) {
    assert.ok(buttons.some((title) => title.includes(tenant)), `a button for tenant ${tenant} among [${buttons}]`);
  }
  await landlordChat.screenshot('1-landlord-tenant-buttons');

  const tenant = landlord.tenants[0];
  const question = await landlordChat.pressSuggestedAction(tenant);
  assert.match(question, ASKS_ARRIVAL, 'after the tenant, the bot asks for the arrival time');

  const outcome = await landlordChat.say(ARRIVAL);
  const [item, ...others] = await demo.pendingItemsFor(service, secretary, landlord.id);
  assert.ok(item, 'the late return is in the community\'s pending queue');
  assert.equal(others.length, 0, 'exactly one pending item for the landlord');
  assert.equal(item.delta, -2, 'a late return costs 2 points');
  assert.ok(outcome.includes(item.id), `the reply names the event id ${item.id}:\n${outcome}`);
  assert.match(outcome, PENDING, 'the reply says the event awaits verification');
  assert.match(outcome, demo.wholeNumber(-2), 'the reply shows the points at stake');
  lateReturn = item;

  const score = await landlordChat.say('积分', demo.wholeNumber(balanceBefore));
  assert.match(score, PENDING, 'the explanation mentions what is still pending');
  await landlordChat.screenshot('1-landlord-score');
  t.diagnostic(`landlord ${landlord.id}: balance ${balanceBefore}, pending event ${item.id}`);
});

test('scenario 2: the secretary approves the pending card in a second Web Chat; the landlord sees the new balance', async () => {
  assert.ok(lateReturn, 'scenario 1 left a pending late return');
  secretaryChat = await WebChatPage.open(browser.context, directLine.url,
    { userId: demo.uniqueUserId('secretary'), name: secretary.name, label: 'secretary' });

  const bound = await secretaryChat.say(`绑定 ${secretary.enrolmentCode}`);
  assert.doesNotMatch(bound, NOT_ACCEPTED, 'the secretary\'s enrolment code is accepted');

  await secretaryChat.say('待核查', (text) => text.includes(landlord.name));
  const cards = secretaryChat.cards(new RegExp(escape(landlord.name)));
  await cards.first().waitFor({ state: 'visible' });
  const withId = secretaryChat.cards(new RegExp(escape(lateReturn.id)));
  const card = (await withId.count()) > 0 ? withId.last() : cards.last();
  await card.getByRole('button', { name: /驳回|拒绝|reject/i }).first().waitFor({ state: 'visible' });
  await secretaryChat.screenshot('2-secretary-pending-card');

  await secretaryChat.pressCardButton(card, /通过|批准|同意|approve/i);
  const balanceAfter = balanceBefore - 2;
  assert.equal(await demo.balanceOf(service, secretary, landlord.id), balanceAfter, 'the approval moved the balance');
  assert.equal((await demo.pendingItemsFor(service, secretary, landlord.id)).length, 0, 'nothing left pending for the landlord');
  await secretaryChat.screenshot('2-secretary-approved');

  const score = await landlordChat.say('积分', demo.wholeNumber(balanceAfter));
  assert.match(score, demo.wholeNumber(balanceAfter));
  await landlordChat.screenshot('2-landlord-new-balance');
});

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

'use strict';
// Scenario 3: the landlord/secretary flow through botframework-directlinejs in Node (no browser).
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startService } = require('../lib/service');
const { startDirectLine } = require('../lib/directline');
const { DirectLineAccount, activityText, suggestedActions, cardActions } = require('../lib/directline-client');
const { saveText } = require('../lib/artifacts');
const demo = require('../lib/demo');

const CLOCK = '2026-11-18T09:00:00+08:00';
const ARRIVAL = '2026-11-16 08:30';
const NOT_ACCEPTED = /无效|错误|失败|过期|不认识|invalid|error|expired|unknown/i;
const ASKS_ARRIVAL = /到达|时间|何时|什么时候|哪天|几点|when|time|arriv/i;
const PENDING = /待核查|待审核|待确认|待处理|pending/i;
const APPROVE = /通过|批准|同意|approve/i;
const REJECT = /驳回|拒绝|reject/i;

let service, directLine;
const accounts = [];
const transcript = [];

before(async () => {
  service = await startService({ clockNow: CLOCK, label: 'directlinejs' });
  directLine = await startDirectLine(service.botUrl, { label: 'directlinejs-directline' });
});

after(async () => {
  for (const account of accounts) account.end();
  await directLine?.stop();
  await service?.stop();
  // The headless run's "screenshot": the conversation as text.
  saveText('3-directlinejs-transcript.txt', transcript.join('\n\n'));
});

async function account(role, name) {
  const created = new DirectLineAccount({ directLineDomain: directLine.directLineDomain, userId: demo.uniqueUserId(role), name });
  accounts.push(created);
  await created.connect();
  const say = created.say.bind(created);
  // press() goes through say(), so every message sent lands in the transcript once.
  created.say = async (what, options) => {
    const reply = await say(what, options);
    const sent = typeof what === 'string' ? what : what.text || `(button) ${JSON.stringify(what.value)}`;
    transcript.push(`${role}> ${sent}\nbot> ${created.lastRepliesText()}`);
    return reply;
  };
  return created;
}

test('scenario 3: the same flow through botframework-directlinejs in Node', async () => {
  const landlord = demo.landlordWithTenants(service.credentials);
  const secretary = demo.secretaryOf(service.credentials, landlord.community);
  const balanceBefore = await demo.balanceOf(service, secretary, landlord.id);

  const landlordChat = await account('landlord', landlord.name);
  await landlordChat.say(`绑定 ${landlord.enrolmentCode}`);
  assert.doesNotMatch(landlordChat.lastRepliesText(), NOT_ACCEPTED);

  const choice = await landlordChat.say('返回', { until: (a) => suggestedActions(a).length > 0 });
  const actions = suggestedActions(choice);
  for (const tenant of landlord.tenants) {
    assert.ok(actions.some((a) => String(a.title || a.value).includes(tenant)), `a suggested action for ${tenant}`);
  }
  const tenantAction = actions.find((a) => String(a.title || a.value).includes(landlord.tenants[0]));
  await landlordChat.press(tenantAction);
  assert.match(landlordChat.lastRepliesText(), ASKS_ARRIVAL);

  await landlordChat.say(ARRIVAL);
  const outcome = landlordChat.lastRepliesText();
  const [item] = await demo.pendingItemsFor(service, secretary, landlord.id);
  assert.ok(item, 'the late return is pending in the community queue');
  assert.equal(item.delta, -2);
  assert.ok(outcome.includes(item.id), `the reply names event ${item.id}:\n${outcome}`);
  assert.match(outcome, PENDING);

  await landlordChat.say('积分', { until: (a) => demo.wholeNumber(balanceBefore).test(activityText(a)) });
  assert.match(landlordChat.lastRepliesText(), PENDING, 'the score explains what is pending');

  const secretaryChat = await account('secretary', secretary.name);
  await secretaryChat.say(`绑定 ${secretary.enrolmentCode}`);
  assert.doesNotMatch(secretaryChat.lastRepliesText(), NOT_ACCEPTED);
  const queue = await secretaryChat.say('待核查', {
    until: (a) => cardActions(a).length > 0 && activityText(a).includes(landlord.name),
  });
  const cards = (queue.attachments || []).filter((c) => c.contentType === 'application/vnd.microsoft.card.adaptive');
  const card = cards.find((c) => JSON.stringify(c.content).includes(item.id))
    || cards.find((c) => JSON.stringify(c.content).includes(landlord.name));
  assert.ok(card, 'an Adaptive Card for the landlord\'s pending item');
  const buttons = cardActions({ attachments: [card] });
  assert.ok(buttons.some((b) => REJECT.test(b.title)), 'the card has a reject button');
  const approve = buttons.find((b) => APPROVE.test(b.title));
  assert.ok(approve, `the card has an approve button among [${buttons.map((b) => b.title)}]`);
  await secretaryChat.press(approve);

  const balanceAfter = balanceBefore - 2;
  assert.equal(await demo.balanceOf(service, secretary, landlord.id), balanceAfter);
  await landlordChat.say('积分', { until: (a) => demo.wholeNumber(balanceAfter).test(activityText(a)) });
  assert.match(landlordChat.lastRepliesText(), demo.wholeNumber(balanceAfter));
});

test('scenario 3b: a secretary issues a landlord a new code in chat, and the landlord binds with it from another client', async () => {
  const secretary = demo.secretaryOf(service.credentials, demo.landlordWithTenants(service.credentials).community);
  const landlord = service.credentials.subjects.find((s) => s.kind === 'landlord' && s.community === secretary.community
    && !accounts.some((a) => a.user?.name === s.name));
  assert.ok(landlord, `a landlord of ${secretary.community} not yet bound in this run`);

  // The printed code bound the secretary in scenario 3: a new chat account gets a new code from the API.
  const secretaryCode = await demo.callApi(service.baseUrl, 'POST', '/api/enrolments', { token: secretary.token, body: { staffId: secretary.id } });
  assert.equal(secretaryCode.status, 201, `a code for the secretary: ${secretaryCode.text}`);
  const secretaryChat = await account('secretary-codes', secretary.name);
  await secretaryChat.say(`绑定 ${secretaryCode.body.code}`, { until: (a) => /绑定成功/.test(activityText(a)) });
  const issued = await secretaryChat.say(`发码 ${landlord.name}`, { until: (a) => /生成绑定码/.test(activityText(a)) });
  const code = /「绑定 ([A-Z0-9]+)」/.exec(activityText(issued))?.[1];
  assert.ok(code, `the reply gives the code to send:\n${activityText(issued)}`);
  assert.notEqual(code, landlord.enrolmentCode, 'a new code, not the printed one');

  const landlordChat = await account('landlord-new-code', landlord.name);
  await landlordChat.say(`绑定 ${landlord.enrolmentCode}`);
  assert.match(landlordChat.lastRepliesText(), /作废|replaced/, 'the printed code was voided by the new one');
  await landlordChat.say(`绑定码 ${code}`, { until: (a) => /绑定成功/.test(activityText(a)) });
  assert.ok(landlordChat.lastRepliesText().includes(landlord.name), 'bound as the landlord the code was issued for');
});

'use strict';
// The demo street's people (from the credentials file the service writes) and the staff API.
const assert = require('node:assert/strict');

function landlordWithTenants(credentials, { community } = {}) {
  const landlord = credentials.subjects.find((s) => s.kind === 'landlord'
    && Array.isArray(s.tenants) && s.tenants.length > 0 && s.enrolmentCode
    && (!community || s.community === community)
    && secretaryOf(credentials, s.community, { required: false }));
  assert.ok(landlord, 'the demo street has a landlord with tenants, an enrolment code and a secretary');
  return landlord;
}

function secretaryOf(credentials, community, { required = true } = {}) {
  const secretary = credentials.staff.find((s) => s.role === 'secretary' && s.community === community);
  if (required) assert.ok(secretary, `the demo street has a secretary for ${community}`);
  return secretary;
}

function officer(credentials) {
  const found = credentials.staff.find((s) => s.role === 'officer');
  assert.ok(found, 'the demo street has a street officer');
  return found;
}

/** Calls the staff/public HTTP API; returns { status, body, text }. */
async function callApi(baseUrl, method, path, { token, body } = {}) {
  const headers = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(30000),
  });
  const text = await response.text();
  let parsed;
  try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
  return { status: response.status, body: parsed, text };
}

/** The pending item for a subject in its community's queue (via the secretary's token). */
async function pendingItemsFor(service, secretary, subjectId) {
  const { status, body, text } = await callApi(service.baseUrl, 'GET',
    `/api/communities/${encodeURIComponent(secretary.community)}/pending`, { token: secretary.token });
  assert.equal(status, 200, `GET pending answered ${status}: ${text}`);
  return body.items.filter((item) => item.subjectId === subjectId);
}

async function balanceOf(service, staff, subjectId) {
  const { status, body, text } = await callApi(service.baseUrl, 'GET', `/api/subjects/${encodeURIComponent(subjectId)}`, { token: staff.token });
  assert.equal(status, 200, `GET subject answered ${status}: ${text}`);
  assert.equal(typeof body.balance, 'number', `GET /api/subjects/{id} has a numeric balance: ${text}`);
  return body.balance;
}

/** A chat account id no earlier run used. */
const uniqueUserId = (role) => `${role}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

/** Matches the number as a whole number in text (10 but not 100 or 2026-11-10). */
const wholeNumber = (n) => new RegExp(`(^|[^\\d.:-])${String(n).replace('-', '[-−]')}(?![\\d:])`);

module.exports = { landlordWithTenants, secretaryOf, officer, callApi, pendingItemsFor, balanceOf, uniqueUserId, wholeNumber };

'use strict';
// bot-manifests/: the Teams app manifest validates against the official schema shipped in
// @microsoft/app-manifest (offline), a broken copy does not, and the Azure Bot template points
// at /api/messages with the Web Chat, Direct Line and Teams channels.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { AppManifestUtils } = require('@microsoft/app-manifest');
const { fillPlaceholders, buildPackage, valuesFrom, packageFiles } = require('../../../bot-manifests/teams/build-package');

const manifestsDir = path.resolve(__dirname, '..', '..', '..', 'bot-manifests');
const teamsDir = path.join(manifestsDir, 'teams');
const schemasDir = path.join(path.dirname(require.resolve('@microsoft/app-manifest')), 'json-schemas', 'teams');
const sampleValues = {
  BOT_ID: '5f0c2a1e-3b4d-4c6e-8f70-9a1b2c3d4e5f',
  TEAMS_APP_ID: '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d',
  PUBLIC_BASE_URL: 'https://scoring.example.org',
};

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const template = () => fs.readFileSync(path.join(teamsDir, 'manifest.json'), 'utf8');
const filledManifest = () => JSON.parse(fillPlaceholders(template(), sampleValues));

function schema(version, kind = 'MicrosoftTeams') {
  const file = path.join(schemasDir, `v${version}`, `${kind}.schema.json`);
  assert.ok(fs.existsSync(file), `@microsoft/app-manifest ships the v${version} ${kind} schema`);
  // The published schema has a "\a" escape that JavaScript regular expressions reject; the
  // package applies the same substitution to schemas it downloads.
  return JSON.parse(fs.readFileSync(file, 'utf8').replace(/\\a/g, '\\x07'));
}

const validate = (manifest) => AppManifestUtils.validateAgainstSchema(manifest, schema(manifest.manifestVersion));

// The localization schema has patterns (e.g. "\\b]") that only compile as non-Unicode regular
// expressions, which AppManifestUtils cannot be told; compile it with the same draft-04 Ajv it
// uses, with unicodeRegExp off.
const appManifestDir = path.dirname(require.resolve('@microsoft/app-manifest'));
const fromAppManifest = (name) => require(require.resolve(name, { paths: [appManifestDir] }));
function validateLocalization(strings, localizationSchema) {
  const Ajv = fromAppManifest('ajv-draft-04');
  const addFormats = fromAppManifest('ajv-formats');
  const ajv = new (Ajv.default || Ajv)({ allErrors: true, strictTypes: false, unicodeRegExp: false });
  (addFormats.default || addFormats)(ajv, ['uri', 'email', 'regex']);
  const check = ajv.compile(localizationSchema);
  return check(strings) ? [] : check.errors.map((e) => `${e.instancePath} ${e.message}`);
}

test('the filled Teams manifest is valid against its schema version', async () => {
  const manifest = filledManifest();
  assert.deepEqual(await validate(manifest), []);
  assert.equal(manifest.bots[0].botId, sampleValues.BOT_ID);
  assert.equal(manifest.id, sampleValues.TEAMS_APP_ID);
});

test('a deliberately broken manifest fails validation', async () => {
  const broken = filledManifest();
  broken.id = 'not-a-guid';
  delete broken.bots[0].botId;
  broken.bots[0].commandLists[0].commands.push(...broken.bots[0].commandLists[0].commands);
  const errors = await validate(broken);
  assert.ok(errors.some((e) => e.startsWith('/id ')), `the bad id is reported: ${errors}`);
  assert.ok(errors.some((e) => e.includes("'botId'")), `the missing bot id is reported: ${errors}`);
  assert.ok(errors.some((e) => e.includes('/commands') && /more than 12/.test(e)), `the long command list is reported: ${errors}`);
});

test('the unfilled template is not a valid manifest and cannot be packaged without values', async () => {
  const unfilled = JSON.parse(template());
  assert.notDeepEqual(await validate(unfilled), []);
  assert.throws(() => fillPlaceholders(template(), {}), /no value for BOT_ID/);
  assert.throws(() => fillPlaceholders(template(), { ...sampleValues, BOT_ID: 'abc' }), /BOT_ID=abc is not a GUID/);
  assert.throws(() => fillPlaceholders(template(), { ...sampleValues, PUBLIC_BASE_URL: 'http://insecure' }), /PUBLIC_BASE_URL/);
});

test('the bot id comes from the service configuration key Bot:MicrosoftAppId when not given', () => {
  const values = valuesFrom([], { Bot__MicrosoftAppId: sampleValues.BOT_ID, PUBLIC_BASE_URL: 'https://x.example.org/' });
  assert.equal(values.BOT_ID, sampleValues.BOT_ID);
  assert.equal(values.TEAMS_APP_ID, sampleValues.BOT_ID, 'the Teams app id defaults to the bot id');
  assert.equal(values.PUBLIC_BASE_URL, 'https://x.example.org');
});

test('the zh-cn and en localization files are valid and localize every command', async () => {
  const manifest = filledManifest();
  const info = manifest.localizationInfo;
  const files = [info.defaultLanguageFile, ...info.additionalLanguages.map((l) => l.file)];
  assert.deepEqual(files.sort(), ['en.json', 'zh-cn.json']);
  const localizationSchema = schema(manifest.manifestVersion, 'MicrosoftTeams.Localization');
  const commands = manifest.bots[0].commandLists[0].commands;
  for (const file of files) {
    const strings = readJson(path.join(teamsDir, file));
    assert.deepEqual(validateLocalization(strings, localizationSchema), [], file);
    commands.forEach((_, i) => {
      assert.ok(strings[`bots[0].commandLists[0].commands[${i}].title`], `${file} names command ${i}`);
      assert.ok(strings[`bots[0].commandLists[0].commands[${i}].description`], `${file} describes command ${i}`);
    });
  }
  // The manifest's own strings are the default language's.
  const zh = readJson(path.join(teamsDir, 'zh-cn.json'));
  commands.forEach((command, i) => assert.equal(zh[`bots[0].commandLists[0].commands[${i}].title`], command.title));
  assert.equal(zh['name.short'], manifest.name.short);
});

test('a broken localization file fails validation', () => {
  const manifest = filledManifest();
  const strings = readJson(path.join(teamsDir, 'en.json'));
  delete strings['name.short'];
  strings['bots[0].commandLists[0].commands[99].title'] = 'too far';
  const errors = validateLocalization(strings, schema(manifest.manifestVersion, 'MicrosoftTeams.Localization'));
  assert.ok(errors.some((e) => e.includes('name.short')), `the missing name is reported: ${errors}`);
  assert.ok(errors.some((e) => e.includes('additional properties')), `the unknown key is reported: ${errors}`);
});

test('the command lists carry the contract\'s chat commands in Chinese and English', () => {
  const titles = filledManifest().bots[0].commandLists[0].commands.map((c) => c.title);
  const en = readJson(path.join(teamsDir, 'en.json'));
  const enTitles = titles.map((_, i) => en[`bots[0].commandLists[0].commands[${i}].title`]);
  for (const command of ['绑定', '返回', '代办', '违规', '调解', '复工', '巡查', '积分', '榜单', '待核查', '帮助']) {
    assert.ok(titles.includes(command), `zh command ${command}`);
  }
  for (const command of ['bind', 'return', 'service', 'violation', 'mediate', 'reopen', 'round', 'score', 'list', 'pending', 'help']) {
    assert.ok(enTitles.includes(command), `en command ${command}`);
  }
});

test('the icons are PNGs of the sizes Teams requires, the outline one with transparency', () => {
  for (const [file, size] of [['color.png', 192], ['outline.png', 32]]) {
    const png = fs.readFileSync(path.join(teamsDir, file));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${file} is a PNG`);
    assert.equal(png.toString('ascii', 12, 16), 'IHDR');
    assert.equal(png.readUInt32BE(16), size, `${file} width`);
    assert.equal(png.readUInt32BE(20), size, `${file} height`);
  }
  const outline = fs.readFileSync(path.join(teamsDir, 'outline.png'));
  assert.equal(outline[25], 6, 'outline.png has an alpha channel (RGBA)');
});

test('the app package holds the filled manifest, both languages and both icons', () => {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scoring-teams-package-'));
  try {
    const { manifest, zipPath } = buildPackage(sampleValues, outDir);
    assert.equal(manifest.bots[0].botId, sampleValues.BOT_ID);
    const zip = fs.readFileSync(zipPath);
    assert.equal(zip.readUInt32LE(0), 0x04034b50, 'a zip file');
    for (const name of packageFiles) assert.ok(zip.includes(Buffer.from(name)), `the package contains ${name}`);
    assert.ok(!zip.includes(Buffer.from('${{')), 'no placeholder is left in the package');
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
});

test('the Azure Bot template registers /api/messages with the Web Chat, Direct Line and Teams channels', () => {
  const arm = readJson(path.join(manifestsDir, 'azure', 'bot-registration.json'));
  const bot = arm.resources.find((r) => r.type === 'Microsoft.BotService/botServices');
  assert.ok(bot, 'a bot resource');
  assert.equal(bot.properties.endpoint, "[variables('messagingEndpoint')]");
  assert.match(arm.variables.messagingEndpoint, /'\/api\/messages'\)\]$/);
  assert.equal(bot.properties.msaAppId, "[parameters('microsoftAppId')]");
  const channels = arm.resources
    .filter((r) => r.type === 'Microsoft.BotService/botServices/channels')
    .map((r) => r.properties.channelName).sort();
  assert.deepEqual(channels, ['DirectLineChannel', 'MsTeamsChannel', 'WebChatChannel']);
  const example = readJson(path.join(manifestsDir, 'azure', 'bot-registration.parameters.example.json'));
  for (const name of Object.keys(example.parameters)) assert.ok(arm.parameters[name], `example parameter ${name} exists`);
  for (const [name, parameter] of Object.entries(arm.parameters)) {
    if (parameter.defaultValue === undefined) assert.ok(example.parameters[name], `required parameter ${name} has an example`);
  }
});

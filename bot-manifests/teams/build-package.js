#!/usr/bin/env node
'use strict';
// Fills the Teams manifest's placeholders from configuration and writes the app package
// (manifest.json, localization files and icons in one zip) to bot-manifests/teams/build/.
//
//   node bot-manifests/teams/build-package.js --bot-id <guid> --base-url https://scoring.example.org
//
// Values, first found wins:
//   BOT_ID           --bot-id, env BOT_ID, env Bot__MicrosoftAppId (the service's Bot:MicrosoftAppId)
//   TEAMS_APP_ID     --app-id, env TEAMS_APP_ID, else the bot id
//   PUBLIC_BASE_URL  --base-url, env PUBLIC_BASE_URL (https; developer/privacy/terms links)
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const teamsDir = __dirname;
const packageFiles = ['manifest.json', 'zh-cn.json', 'en.json', 'color.png', 'outline.png'];
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

/** Replaces every ${{NAME}} in text; throws when a placeholder has no value or a value is malformed. */
function fillPlaceholders(text, values) {
  const problems = [];
  for (const [name, check] of Object.entries({ BOT_ID: GUID, TEAMS_APP_ID: GUID, PUBLIC_BASE_URL: /^https:\/\/[^\s"\\]+[^/]$/ })) {
    if (values[name] !== undefined && !check.test(values[name])) problems.push(`${name}=${values[name]} is not ${check === GUID ? 'a GUID' : 'an https URL without a trailing slash'}`);
  }
  const filled = text.replace(/\$\{\{([A-Z_]+)\}\}/g, (whole, name) => {
    if (values[name] === undefined) { problems.push(`no value for ${name}`); return whole; }
    return values[name];
  });
  if (problems.length) throw new Error(`cannot fill the Teams manifest: ${[...new Set(problems)].join('; ')}`);
  return filled;
}

function valuesFrom(argv, env) {
  const arg = (flag) => { const i = argv.indexOf(flag); return i >= 0 ? argv[i + 1] : undefined; };
  const botId = arg('--bot-id') || env.BOT_ID || env.Bot__MicrosoftAppId;
  return {
    BOT_ID: botId,
    TEAMS_APP_ID: arg('--app-id') || env.TEAMS_APP_ID || botId,
    PUBLIC_BASE_URL: (arg('--base-url') || env.PUBLIC_BASE_URL || '').replace(/\/+$/, '') || undefined,
  };
}

// Fixed timestamps keep the package byte-for-byte reproducible.
const DOS_DATE_1980_01_01 = (1 << 5) | 1;

// A plain "stored" zip (no compression): enough for a Teams app package, no dependencies.
function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const fileName = Buffer.from(name, 'utf8');
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(DOS_DATE_1980_01_01, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(DOS_DATE_1980_01_01, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Builds the package into outDir; returns { manifest, zipPath }. */
function buildPackage(values, outDir = path.join(teamsDir, 'build')) {
  const manifestText = fillPlaceholders(fs.readFileSync(path.join(teamsDir, 'manifest.json'), 'utf8'), values);
  fs.mkdirSync(outDir, { recursive: true });
  const entries = packageFiles.map((name) => ({
    name,
    data: name === 'manifest.json' ? Buffer.from(manifestText, 'utf8') : fs.readFileSync(path.join(teamsDir, name)),
  }));
  for (const { name, data } of entries) fs.writeFileSync(path.join(outDir, name), data);
  const zipPath = path.join(outDir, 'scoring-teams-app.zip');
  fs.writeFileSync(zipPath, zip(entries));
  return { manifest: JSON.parse(manifestText), zipPath };
}

module.exports = { fillPlaceholders, buildPackage, valuesFrom, packageFiles };

if (require.main === module) {
  try {
    const { zipPath } = buildPackage(valuesFrom(process.argv.slice(2), process.env));
    console.log(`wrote ${path.relative(process.cwd(), zipPath)}: upload it in Teams (Apps > Manage your apps > Upload an app)`);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}

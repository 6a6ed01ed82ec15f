'use strict';
// tests/e2e/artifacts/: screenshots, transcripts and process logs of the last run (gitignored).
const fs = require('node:fs');
const path = require('node:path');

const artifactsDir = path.join(__dirname, '..', 'artifacts');

function artifactPath(name) {
  fs.mkdirSync(artifactsDir, { recursive: true });
  return path.join(artifactsDir, name);
}

function saveText(name, text) {
  fs.writeFileSync(artifactPath(name), text);
}

module.exports = { artifactsDir, artifactPath, saveText };

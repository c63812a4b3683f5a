// Stops `npm ci`, `npm start` and `npm test` at once on a Node older than package.json's engines,
// saying what is needed, instead of failing later on a missing built-in (node:sqlite). CommonJS and
// plain syntax on purpose: it has to run on the old Node it turns away.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, to run on the old Node it turns away */

var fs = require('fs');
var path = require('path');

/** [major, minor, patch] of "22.12.0" or "v22.12.0". */
function parts(version) {
  return String(version)
    .replace(/^v/, '')
    .split('.')
    .map(function (n) {
      return parseInt(n, 10) || 0;
    });
}

/** What is wrong with running on `version` when `range` is ">=X.Y.Z", or undefined when nothing is. */
function nodeVersionProblem(version, range) {
  var match = /^>=\s*(\d+\.\d+\.\d+)$/.exec(String(range).trim());
  if (!match) return 'package.json engines.node must be ">=X.Y.Z", not ' + JSON.stringify(range);
  var have = parts(version);
  var need = parts(match[1]);
  for (var i = 0; i < 3; i++) {
    if (have[i] > need[i]) return undefined;
    if (have[i] < need[i])
      return (
        'Herald needs Node ' +
        match[1] +
        ' or newer; this is Node ' +
        String(version).replace(/^v/, '') +
        '.\n' +
        'Install Node 22 (e.g. `nvm install` reads .nvmrc, or https://nodejs.org/en/download), then run the command again.'
      );
  }
  return undefined;
}

module.exports = { nodeVersionProblem: nodeVersionProblem };

if (require.main === module) {
  var manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  var problem = nodeVersionProblem(process.versions.node, manifest.engines && manifest.engines.node);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}

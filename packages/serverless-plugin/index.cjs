// osls loads plugins with require(); the plugin is TypeScript like the rest of Herald, compiled as it
// loads by tsx (the same tool that runs the repository's scripts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tsx = require('tsx/cjs/api');

module.exports = tsx.require('./src/plugin.ts', __filename).default;

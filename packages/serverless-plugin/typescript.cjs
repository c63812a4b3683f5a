// Loads the plugin's TypeScript sources for osls, which loads plugins with require() (index.cjs,
// prebuilt.cjs): compiled as they load by tsx, the same tool that runs the repository's scripts.
//
// Through a namespace of our own, not tsx's `require()`: that one names its namespace after the
// time, and tsx's cache keys include the namespace, so nothing it compiled was ever found again:
// each serverless-offline start compiled every module anew, one esbuild process per module. Under a
// fixed name, a module compiled once comes from tsx's cache until it changes.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { register } = require('tsx/cjs/api');

const tsx = register({ namespace: '@herald/serverless-plugin' });

/** The module at `path` (relative to this package), compiled by tsx. */
module.exports = (path) => tsx.require(path, __filename);

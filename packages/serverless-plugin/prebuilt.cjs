// The bundler's stand-in under the local cloud (src/prebuilt-plugin.ts), loaded by osls with require()
// as the main plugin is (index.cjs).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tsx = require('tsx/cjs/api');

module.exports = tsx.require('./src/prebuilt-plugin.ts', __filename).default;

// tsx compiled it with esbuild's synchronous API, whose service (a worker thread and an esbuild child
// process) would otherwise stay up as long as osls runs: all along in each service's serverless-offline
// under the local cloud, for nothing. Stopped once the plugin is loaded; esbuild starts it again if
// anything is compiled later (serverless-esbuild's own builds included).
// eslint-disable-next-line @typescript-eslint/no-require-imports
void require(require.resolve('esbuild', { paths: [require.resolve('tsx/cjs/api')] })).stop();

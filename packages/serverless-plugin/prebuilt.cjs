// The bundler's stand-in under the local cloud (src/prebuilt-plugin.ts), loaded by osls with require()
// as the main plugin is (index.cjs).
// eslint-disable-next-line @typescript-eslint/no-require-imports
module.exports = require('./typescript.cjs')('./src/prebuilt-plugin.ts').default;

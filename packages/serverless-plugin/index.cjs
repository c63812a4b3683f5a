// osls loads plugins with require(); the plugin is TypeScript like the rest of Herald (see typescript.cjs).
// eslint-disable-next-line @typescript-eslint/no-require-imports
module.exports = require('./typescript.cjs')('./src/plugin.ts').default;

export default async function globalTeardown() {
  await globalThis.heraldLocalCloud?.stop();
}

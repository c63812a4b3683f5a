export default async function contractGlobalTeardown() {
  const own = globalThis.heraldContractEnvironment;
  if (!own) return; // given before the run: whoever started them stops them
  globalThis.heraldContractEnvironment = undefined;
  delete process.env.HERALD_CONTRACT_AWS;
  await own.stop();
}

/**
 * The function manifest @herald/serverless-plugin writes while serverless-offline starts (when
 * HERALD_FUNCTION_MANIFEST names a file): each function's deployed name, handler, built code, timeout,
 * memory and environment, resolved exactly as serverless-offline resolved them.
 */
import { readFile } from 'node:fs/promises';
import type { FunctionManifest } from '@herald/serverless-plugin/function-manifest';

export type { FunctionManifest, ManifestFunction } from '@herald/serverless-plugin/function-manifest';

export async function readFunctionManifest(path: string): Promise<FunctionManifest> {
  const manifest = JSON.parse(await readFile(path, 'utf8')) as FunctionManifest;
  if (!Array.isArray(manifest?.functions)) throw new Error(`${path} is not a function manifest`);
  for (const fn of manifest.functions) {
    if (typeof fn.name !== 'string' || typeof fn.handler !== 'string' || typeof fn.codeDir !== 'string')
      throw new Error(`${path}: a function without a name, handler or code directory`);
  }
  return manifest;
}

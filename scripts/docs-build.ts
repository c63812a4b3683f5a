/**
 * `npm run docs:build`: the API reference (openapi/herald.openapi.json rendered by Redoc) into
 * .local-cloud/reference/, which the local cloud's fronts serve at /docs. The local cloud builds it
 * itself when it is missing or older than the document; this builds it anyway, and fails when the
 * page would fetch anything from elsewhere.
 */
import { buildReference, REFERENCE_DIR } from '@herald/local-cloud';

await buildReference(REFERENCE_DIR, { force: true });
console.log(`API reference: ${REFERENCE_DIR}/index.html (served by npm start at http://localhost:4000/docs)`);

// The API reference page: build-docs' CDN import of Redoc becomes the copy the fronts serve, and a
// page that would still load a script or stylesheet from elsewhere is caught.
import { describe, expect, test } from '@jest/globals';
import { remoteAssets, withLocalBundle } from '../src/reference';

const BUILT = `<link rel="modulepreload" href="https://cdn.redocly.com/redoc/v3.0.1/bundles/redoc.standalone.js" integrity="sha384-x" crossorigin="anonymous" />
<script type="module">
  import { hydrate } from "https://cdn.redocly.com/redoc/v3.0.1/bundles/redoc.standalone.js";
</script><a href="https://herald.dev/problems/x">a link is not loaded</a>`;

describe('API reference page', () => {
  test('build-docs’ page loads Redoc from the CDN; with the local bundle it loads nothing from elsewhere', () => {
    expect(remoteAssets(BUILT)).toEqual([
      'https://cdn.redocly.com/redoc/v3.0.1/bundles/redoc.standalone.js',
      'https://cdn.redocly.com/redoc/v3.0.1/bundles/redoc.standalone.js',
    ]);
    const local = withLocalBundle(BUILT);
    expect(remoteAssets(local)).toEqual([]);
    expect(local).toContain('<link rel="modulepreload" href="/docs/redoc.standalone.js" />');
    expect(local).toContain('import { hydrate } from "/docs/redoc.standalone.js";');
  });

  test('a script, stylesheet or dynamic import from elsewhere is found', () => {
    expect(
      remoteAssets(
        '<script src="//cdn.example/x.js"></script><link rel="stylesheet" href="https://fonts.example/css">' +
          '<script>import("https://esm.example/y.js")</script>',
      ),
    ).toEqual(['//cdn.example/x.js', 'https://fonts.example/css', 'https://esm.example/y.js']);
  });
});

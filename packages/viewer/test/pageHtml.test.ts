import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inlineScript, pageHtml, scriptJson } from '../src/node/pageHtml.js';
import type { PageMeta } from '../src/model/pageMeta.js';

const nasty = ['</script><script>alert(1)</script>', '<!--', '</SCRIPT >', '\u2028\u2029', '<img/src=x/onerror=alert(1)>', '&amp;', '"\'`'];

describe('embedding in a <script> element', () => {
  it('JSON keeps every value and never contains <, > or & (so no </script> and no <!--)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(...nasty), (value, bad) => {
        const v = { value, bad, nested: [bad, { [bad]: bad }] };
        const text = scriptJson(v);
        expect(text).not.toMatch(/[<>&\u2028\u2029]/);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });

  it('script text has no </script or <!-- left, and still means the same', () => {
    const js = `window.t = ["</script>", '</SCRIPT>', /<\\/script>/.source, "<!--"];`;
    const safe = inlineScript(js);
    expect(safe).not.toMatch(/<\/script|<!--/i);
    const w: { t?: unknown } = {};
    new Function('window', safe)(w);
    const plain: { t?: unknown } = {};
    new Function('window', js)(plain);
    expect(w.t).toEqual(plain.t);
  });

  it('a page whose names try to close its script only ever has its own script elements', () => {
    const bad = nasty.join(' ');
    const meta = { format: 'lmm-view', version: 1, runs: [{ name: bad, header: { format: 'lmm-log', version: 1, layout: { pageSize: 4096, pageHeaderSize: 0, metaSize: 28 }, policy: 'worst-fit', maxPages: null }, commands: 0, facts: 0, series: { commands: 0, buckets: 0, heapMax: [], heapMin: [], liveMax: [], liveMin: [], utilMax: [], utilMin: [], requests: [], releases: [], rejections: [], avoidable: [], avoidableAt: [], peakHeap: { cmd: 0, bytes: 0 }, peakLive: { cmd: 0, bytes: 0 }, peakUtilization: 0 } }], divergence: null, opening: 0 } satisfies PageMeta;
    const html = pageHtml({ meta, payloads: ['QUJD'], openingStates: ['QUJD'], script: 'console.log("</script>")', css: 'body{}' });
    expect(html.match(/<script/gi)).toHaveLength(4);
    expect(html.match(/<\/script>/gi)).toHaveLength(4);
    expect(html).not.toContain('<img');
    expect(html).toMatch(/<title>lmm view · &#60;\/script&#62;/);
    expect(html).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
  });
});

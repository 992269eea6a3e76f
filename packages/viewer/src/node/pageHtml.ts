import { createHash } from 'node:crypto';
import { openingStateId, META_ID, payloadId, type PageMeta } from '../model/pageMeta.js';

/**
 * JSON that can stand inside a `<script>` element: `<`, `>` and `&` become `\u003c` etc. (so
 * neither `</script>` nor `<!--` can appear) and U+2028/U+2029 are escaped too. `JSON.parse`
 * reads it back unchanged.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * JavaScript that can stand inside a `<script>` element: any `</script` or `<!--` (only
 * possible inside a string, regular expression or comment) gets a backslash, which means the
 * same there.
 */
export function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

const escapeText = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** What a page is made of. */
export interface PageParts {
  readonly meta: PageMeta;
  /** Each run's gzipped payload as base64. */
  readonly payloads: readonly string[];
  /** Each run's last state (gzipped snapshot) as base64. */
  readonly openingStates: readonly string[];
  /** The bundled page script. */
  readonly script: string;
  readonly css: string;
  /** A served page (`lmm view --serve`): it may fetch from the address it came from, and nowhere else. */
  readonly served?: boolean;
}

/**
 * The whole page. Its Content-Security-Policy allows only its own script (by hash), so even
 * markup smuggled into the page could not run, and no network at all — but, for a served
 * page, requests to the server it came from.
 */
export function pageHtml(parts: PageParts): string {
  const script = inlineScript(parts.script);
  const hash = createHash('sha256').update(script, 'utf8').digest('base64');
  const csp = `default-src 'none'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'; img-src data:;${parts.served === true ? " connect-src 'self';" : ''} base-uri 'none'; form-action 'none'`;
  const title = `lmm view · ${parts.meta.runs.map((r) => r.name).join(' vs ')}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeText(title)}</title>`,
    `<style>${parts.css.replace(/<\//g, '<\\/')}</style>`,
    '</head>',
    '<body>',
    `<script type="application/json" id="${META_ID}">${scriptJson(parts.meta)}</script>`,
    ...parts.payloads.map((p, i) => `<script type="application/octet-stream" id="${payloadId(i)}">${p}</script>`),
    ...parts.openingStates.map((p, i) => `<script type="application/octet-stream" id="${openingStateId(i)}">${p}</script>`),
    `<script>${script}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

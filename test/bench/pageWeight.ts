/**
 * What a browser has to fetch to render a page, read from the HTML as served: the tags that
 * load something (stylesheets, scripts, images, icons, preloads, CSS `url()`/`@import`), their
 * bytes, and their compressed sizes. Shared by the benchmark and the byte-budget tests, so
 * both count the same way. Deterministic: no timing, no browser.
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** One start tag with its attributes (names lower-cased, values entity-decoded). */
export interface Tag {
  name: string;
  attributes: Record<string, string>;
  /** Text content, for the raw-text elements `<script>`, `<style>` and `<title>` only. */
  content?: string;
}

/** A page's markup split into its start tags and its text outside `<script>`/`<style>`. */
export interface ScannedHtml {
  tags: Tag[];
  /** The text a reader sees (tags dropped, entities decoded, whitespace collapsed). */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes named (the common five plus nbsp) and numeric character references. */
export function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

const TOKEN = /<!--[\s\S]*?-->|<!\w[^>]*>|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const RAW_TEXT = new Set(['script', 'style', 'title']);

/**
 * Splits HTML into start tags and visible text. A small tokenizer, not a full HTML5 parser: it
 * is exact for well-formed markup such as Astro's output (comments, doctype, quoted and
 * unquoted attributes, raw-text `<script>`/`<style>` bodies).
 */
export function scanHtml(html: string): ScannedHtml {
  const tags: Tag[] = [];
  const text: string[] = [];
  const lower = html.toLowerCase();
  let last = 0;
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(html); match; match = TOKEN.exec(html)) {
    text.push(html.slice(last, match.index));
    last = TOKEN.lastIndex;
    const [, closing, rawName, rawAttributes = ''] = match;
    if (!rawName || closing) continue;
    const name = rawName.toLowerCase();
    const attributes: Record<string, string> = {};
    for (const attribute of rawAttributes.matchAll(ATTRIBUTE)) {
      const key = attribute[1]?.toLowerCase();
      if (key && !(key in attributes)) attributes[key] = decodeEntities(attribute[2] ?? attribute[3] ?? attribute[4] ?? '');
    }
    const tag: Tag = { name, attributes };
    if (RAW_TEXT.has(name)) {
      const end = lower.indexOf(`</${name}`, last);
      const stop = end === -1 ? html.length : end;
      tag.content = html.slice(last, stop);
      last = stop;
      TOKEN.lastIndex = stop;
    }
    tags.push(tag);
  }
  text.push(html.slice(last));
  return { tags, text: decodeEntities(text.join(' ')).replace(/\s+/g, ' ').trim() };
}

/** Script types that browsers execute (anything else, e.g. application/ld+json, is data). */
export function isExecutableScript(tag: Tag): boolean {
  if (tag.name !== 'script') return false;
  const type = (tag.attributes.type ?? '').trim().toLowerCase();
  return ['', 'module', 'text/javascript', 'application/javascript', 'text/ecmascript', 'application/ecmascript'].includes(type);
}

/**
 * Whether a script holds up the first render: a classic script without `async` or `defer`
 * (module scripts are deferred by default). An inline classic script also blocks the parser.
 */
export function isRenderBlockingScript(tag: Tag): boolean {
  if (!isExecutableScript(tag)) return false;
  if ((tag.attributes.type ?? '').trim().toLowerCase() === 'module') return false;
  if (tag.attributes.src === undefined) return true;
  return !('async' in tag.attributes) && !('defer' in tag.attributes);
}

const relTokens = (tag: Tag) => (tag.attributes.rel ?? '').toLowerCase().split(/\s+/).filter(Boolean);

/** The kind of a subresource, as the table groups them. */
export type ResourceKind = 'stylesheet' | 'script' | 'image' | 'icon' | 'font' | 'preload';

/** A subresource the page asks the browser to fetch. */
export interface Subresource {
  url: string;
  kind: ResourceKind;
  /** Whether the first render waits for it (stylesheets, classic synchronous scripts, CSS @import). */
  renderBlocking: boolean;
}

/** The subresources named by a page's tags and inline CSS, resolved against `pageUrl`, without data: URLs. */
export function subresourcesOf(scanned: ScannedHtml, pageUrl: string): Subresource[] {
  const found: Subresource[] = [];
  const add = (href: string | undefined, kind: ResourceKind, renderBlocking: boolean, base = pageUrl) => {
    if (!href || href.startsWith('data:') || href.startsWith('#')) return;
    found.push({ url: new URL(href, base).href, kind, renderBlocking });
  };
  for (const tag of scanned.tags) {
    const { attributes } = tag;
    if (tag.name === 'link') {
      const rel = relTokens(tag);
      if (rel.includes('stylesheet') && !('disabled' in attributes)) add(attributes.href, 'stylesheet', (attributes.media ?? 'all') !== 'print');
      else if (rel.includes('icon') || rel.includes('apple-touch-icon')) add(attributes.href, 'icon', false);
      else if (rel.includes('preload') || rel.includes('modulepreload')) add(attributes.href, 'preload', false);
    } else if (tag.name === 'script' && isExecutableScript(tag)) {
      add(attributes.src, 'script', isRenderBlockingScript(tag));
    } else if (tag.name === 'img' || (tag.name === 'input' && attributes.type === 'image')) {
      add(attributes.src, 'image', false);
    } else if (tag.name === 'video') {
      add(attributes.poster, 'image', false);
    } else if (tag.name === 'style' && tag.content) {
      found.push(...cssReferences(tag.content, pageUrl));
    }
  }
  return dedupe(found);
}

/** Resources a stylesheet pulls in: `@import` (render-blocking), fonts and images via `url()`. */
export function cssReferences(css: string, cssUrl: string): Subresource[] {
  const found: Subresource[] = [];
  for (const match of css.matchAll(/@import\s+(?:url\(\s*)?["']?([^"')\s;]+)/g)) {
    found.push({ url: new URL(match[1] ?? '', cssUrl).href, kind: 'stylesheet', renderBlocking: true });
  }
  for (const match of css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
    const href = (match[1] ?? '').trim();
    if (href.startsWith('data:') || href.startsWith('#')) continue;
    const kind: ResourceKind = /\.(woff2?|ttf|otf|eot)(\?|#|$)/i.test(href) ? 'font' : 'image';
    found.push({ url: new URL(href, cssUrl).href, kind, renderBlocking: false });
  }
  return dedupe(found);
}

function dedupe(resources: Subresource[]): Subresource[] {
  const byUrl = new Map<string, Subresource>();
  for (const resource of resources) {
    const seen = byUrl.get(resource.url);
    byUrl.set(resource.url, seen ? { ...seen, renderBlocking: seen.renderBlocking || resource.renderBlocking } : resource);
  }
  return [...byUrl.values()];
}

/** Gzip at level 9, the conservative figure used by the budgets (brotli is smaller). */
export const gzipSize = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 }).byteLength;

/** Brotli at quality 11 (what a CDN uses for static text). */
export const brotliSize = (bytes: Uint8Array) =>
  brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  }).byteLength;

/** Content types a server compresses; images such as PNG or fonts such as WOFF2 already are. */
const compressible = (contentType: string) => /^(text\/|application\/(javascript|json|ld\+json|xml|manifest\+json)|image\/svg\+xml)/.test(contentType);

/** One fetched response and its sizes. */
export interface FetchedResource {
  url: string;
  kind: ResourceKind | 'document';
  status: number;
  contentType: string;
  renderBlocking: boolean;
  bytes: number;
  gzip: number;
  brotli: number;
}

/** Everything a page costs to render, measured from the responses of a running site. */
export interface PageWeight {
  url: string;
  /** The document's bytes (including inline CSS, inline scripts and JSON-LD). */
  htmlBytes: number;
  /** CSS bytes: inline `<style>` plus external stylesheets. */
  cssBytes: number;
  /** Bytes of external stylesheets only (the part not already inside htmlBytes). */
  externalCssBytes: number;
  /** Executable JavaScript bytes: inline plus external (JSON-LD is data, not counted). */
  jsBytes: number;
  /** JSON-LD bytes inside the HTML (structured data for search engines). */
  jsonLdBytes: number;
  /** Executable `<script>` elements, and how many of them block rendering. */
  scripts: number;
  renderBlockingScripts: number;
  /** Requests to render: the document plus every subresource the HTML/CSS names. */
  requests: number;
  /** Of those, the ones the first paint waits for (the document counts as one). */
  renderBlockingRequests: number;
  /** Sum over all responses, each compressed on its own, as a server would send them. */
  transfer: { gzip: number; brotli: number };
  /** The document plus its external stylesheets, compressed: the budgeted "HTML + CSS". */
  htmlPlusCss: { gzip: number; brotli: number };
  resources: FetchedResource[];
}

async function fetchResource(url: string, kind: FetchedResource['kind'], renderBlocking: boolean): Promise<{ resource: FetchedResource; body: Uint8Array }> {
  const response = await fetch(url, { headers: { 'Accept-Encoding': 'identity' } });
  const body = new Uint8Array(await response.arrayBuffer());
  const contentType = response.headers.get('content-type') ?? '';
  const squeeze = compressible(contentType);
  return {
    body,
    resource: {
      url,
      kind,
      status: response.status,
      contentType,
      renderBlocking,
      bytes: body.byteLength,
      gzip: squeeze ? gzipSize(body) : body.byteLength,
      brotli: squeeze ? brotliSize(body) : body.byteLength,
    },
  };
}

/**
 * Fetches a page and every subresource its HTML and CSS name, and sums their bytes.
 * Compression is computed here with node:zlib (gzip -9, brotli q11) on the uncompressed
 * bytes, because the local server does not compress; Cloudflare compresses at the edge.
 */
export async function measurePage(url: string): Promise<PageWeight> {
  const { resource: document, body } = await fetchResource(url, 'document', true);
  if (document.status !== 200) throw new Error(`GET ${url} answered ${document.status}, expected 200`);
  const html = new TextDecoder().decode(body);
  const scanned = scanHtml(html);
  const utf8 = (text = '') => Buffer.byteLength(text, 'utf8');

  const resources: FetchedResource[] = [document];
  let externalCss = 0;
  let externalJs = 0;
  const queue = subresourcesOf(scanned, url);
  const seen = new Set(queue.map((resource) => resource.url));
  for (let index = 0; index < queue.length; index += 1) {
    const wanted = queue[index]!;
    const { resource, body: bytes } = await fetchResource(wanted.url, wanted.kind, wanted.renderBlocking);
    if (resource.status !== 200) throw new Error(`GET ${wanted.url} (named by ${url}) answered ${resource.status}`);
    resources.push(resource);
    if (wanted.kind === 'stylesheet') {
      externalCss += bytes.byteLength;
      for (const nested of cssReferences(new TextDecoder().decode(bytes), wanted.url)) {
        if (!seen.has(nested.url)) {
          seen.add(nested.url);
          queue.push(nested);
        }
      }
    }
    if (wanted.kind === 'script') {
      externalJs += bytes.byteLength;
      // A module's static imports load before it runs; dynamic import() is not counted.
      for (const match of new TextDecoder().decode(bytes).matchAll(/\b(?:import|export)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["']([^"']+\.m?js)["']/g)) {
        const nested = new URL(match[1] ?? '', wanted.url).href;
        if (!seen.has(nested)) {
          seen.add(nested);
          queue.push({ url: nested, kind: 'script', renderBlocking: false });
        }
      }
    }
  }

  const executable = scanned.tags.filter(isExecutableScript);
  const inlineCss = scanned.tags.filter((tag) => tag.name === 'style').reduce((sum, tag) => sum + utf8(tag.content), 0);
  const inlineJs = executable.filter((tag) => tag.attributes.src === undefined).reduce((sum, tag) => sum + utf8(tag.content), 0);
  const jsonLd = scanned.tags.filter((tag) => tag.name === 'script' && tag.attributes.type === 'application/ld+json').reduce((sum, tag) => sum + utf8(tag.content), 0);
  const stylesheets = resources.filter((resource) => resource.kind === 'stylesheet');
  const sum = (list: FetchedResource[], key: 'gzip' | 'brotli') => list.reduce((total, resource) => total + resource[key], 0);

  return {
    url,
    htmlBytes: document.bytes,
    cssBytes: inlineCss + externalCss,
    externalCssBytes: externalCss,
    jsBytes: inlineJs + externalJs,
    jsonLdBytes: jsonLd,
    scripts: executable.length,
    renderBlockingScripts: executable.filter(isRenderBlockingScript).length,
    requests: resources.length,
    renderBlockingRequests: resources.filter((resource) => resource.renderBlocking).length,
    transfer: { gzip: sum(resources, 'gzip'), brotli: sum(resources, 'brotli') },
    htmlPlusCss: { gzip: sum([document, ...stylesheets], 'gzip'), brotli: sum([document, ...stylesheets], 'brotli') },
    resources,
  };
}

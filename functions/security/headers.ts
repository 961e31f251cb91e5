/**
 * The security headers every response carries, static assets included. One function builds
 * them, so the Worker (dynamic responses) and the generated `_headers` file (static assets)
 * cannot drift apart.
 */
import { JOBS_SCHEMA_PATH } from '#functions/embed/routes.ts';

/** Settings that differ between deployments. */
export interface SecurityOptions {
  /**
   * Host origins allowed to embed us (EMBED_ORIGINS, parsed): CSP `frame-ancestors` lets them
   * frame our pages, besides ourselves.
   */
  embedOrigins: readonly string[];
  /**
   * Whether pages embed Cloudflare Turnstile (TURNSTILE_SITE_KEY is set): its script and
   * challenge frame come from challenges.cloudflare.com.
   */
  turnstile?: boolean;
}

/** Origin of Cloudflare Turnstile's script and challenge frame. */
export const TURNSTILE_ORIGIN = 'https://challenges.cloudflare.com';

/** Builds the Content-Security-Policy: no inline or third-party scripts, no plugins. */
export function contentSecurityPolicy({ embedOrigins, turnstile = false }: SecurityOptions): string {
  const turnstileSource = turnstile ? ` ${TURNSTILE_ORIGIN}` : '';
  return [
    "default-src 'self'",
    `script-src 'self'${turnstileSource}`,
    ...(turnstile ? [`frame-src ${TURNSTILE_ORIGIN}`] : []),
    // Styles are inlined into each page so it renders in one round trip; style attributes
    // cannot run code, so allowing inline styles does not weaken the script policy.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    `frame-ancestors ${["'self'", ...embedOrigins].join(' ')}`,
  ].join('; ');
}

/** All security headers, as name → value. */
export function securityHeaders(options: SecurityOptions): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(options),
    'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Permissions-Policy':
      'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}

/** Referrer policies stricter than ours, which a response that chose one keeps (the private pages). */
const STRICTER_REFERRER_POLICIES: ReadonlySet<string> = new Set(['no-referrer', 'same-origin', 'strict-origin']);

/**
 * Returns the response with the security headers set (a copy when headers are immutable). A
 * response that chose a stricter referrer policy (the private pages) keeps it.
 */
export function withSecurityHeaders(response: Response, options: SecurityOptions): Response {
  const secured = new Response(response.body, response);
  for (const [name, value] of Object.entries(securityHeaders(options))) {
    if (name === 'Referrer-Policy' && STRICTER_REFERRER_POLICIES.has(secured.headers.get(name) ?? '')) continue;
    secured.headers.set(name, value);
  }
  return secured;
}

/**
 * Renders the rules of a Cloudflare `_headers` file: the security headers on every path, and
 * CORS for any origin on two kinds of public static files. The built assets (public and
 * immutable): a host page loads our form script from our origin inside a fragment, and browsers
 * fetch module scripts in CORS mode. The JSON Schema of `/api/jobs`, which its answers link
 * (`rel="describedby"`), so a host's script can follow the link. A static file cannot answer per
 * origin, and `*` (never with credentials) grants a script no more than any server could fetch.
 * The data files the build writes for the Worker (a locale's content index, a posting's body)
 * are public but no pages: search engines are asked not to list them.
 */
export function renderHeadersFile(options: SecurityOptions, base: string): string {
  const lines = [`${base}*`];
  for (const [name, value] of Object.entries(securityHeaders(options))) lines.push(`  ${name}: ${value}`);
  for (const data of [':locale/content.json', ':locale/jobs/:slug/body.json']) lines.push(`${base}${data}`, '  X-Robots-Tag: noindex');
  for (const path of ['_astro/*', JOBS_SCHEMA_PATH]) lines.push(`${base}${path}`, '  Access-Control-Allow-Origin: *');
  return `${lines.join('\n')}\n`;
}

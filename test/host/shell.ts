/**
 * The test host's own page, standing in for a real host site's pages: its header and footer, its
 * CSP, and styles meant to provoke (a serif body font, red upper-case h1) that must not change
 * ours, plus the documented theming contract (--careers-accent) that must.
 */

/** What one host page shows. */
export interface HostPageOptions {
  title: string;
  /** The page's body between the host's header and footer. */
  body: string;
  /** The host's Content-Security-Policy (default: everything same-origin, as ways 1 and 2 need). */
  csp?: string;
  status?: number;
  /** The page's Cache-Control (default: revalidate every time). */
  cacheControl?: string;
}

const SAME_ORIGIN_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'";

const STYLES = `
  :root { --careers-accent: #6b1f8f; }
  body { margin: 0; font-family: Georgia, 'Times New Roman', serif; color: #3b2f2f; background: #fffdf7; line-height: 1.3; }
  h1 { color: #b00020; font-size: 2.75rem; text-transform: uppercase; }
  a { color: #0b6623; }
  .host-bar { padding: 1rem 2rem; background: #2b2b2b; color: #fff; }
  .host-bar a { color: #fff; }
  .host-main { padding: 1rem 2rem; }`;

/** Renders a host page as a Response with the host's headers. */
export function hostPage({ title, body, csp = SAME_ORIGIN_CSP, status = 200, cacheControl = 'no-cache' }: HostPageOptions): Response {
  const html = `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${title} – Example GmbH</title>
<meta name="description" content="Example GmbH: Karriere und offene Stellen.">
<style>${STYLES}</style>
</head>
<body>
<header class="host-bar"><a href="/">Example GmbH</a> · <a href="/about">Über uns</a></header>
${body}
<footer class="host-bar">© Example GmbH</footer>
</body>
</html>`;
  return new Response(html, { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': csp, 'Cache-Control': cacheControl } });
}

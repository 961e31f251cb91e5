/** What ways 2 and 3 share: the careers Worker behind the service binding, and its JSON-LD for the host's <head>. */
import { env } from 'cloudflare:workers';

/** Fetches `/careers/<path>` from the careers Worker (through the service binding any origin works: only the path counts). */
export const careers = (path: string) => env.CAREERS.fetch(`https://careers.internal/careers/${path}`);

/** Adds the posting's JobPosting to the page's <head>: search engines do not count JSON-LD inside a shadow root. */
export async function withPostingJsonLd(page: Response, locale: string, slug: string): Promise<Response> {
  const jsonLd = await careers(`${locale}/jobs/${slug}/posting.jsonld`);
  if (!jsonLd.ok) return page; // 404 unknown, 410 no longer open: no structured data
  const script = `<script type="application/ld+json">${await jsonLd.text()}</script>`; // safe: no "<" inside
  return new HTMLRewriter().on('head', { element: (head) => void head.append(script, { html: true }) }).transform(page);
}

/**
 * Search engines count structured data only in the host page's own HTML, not in a shadow root:
 * the host copies the posting's JobPosting into its <head>, server-side (ways 2 and 3).
 */
import { CAREERS_URL, type HostEnv } from './env';

export async function withPostingJsonLd(page: Response, env: HostEnv, locale: string, slug: string): Promise<Response> {
  const jsonLd = await env.CAREERS.fetch(`${CAREERS_URL}/careers/${locale}/jobs/${slug}/posting.jsonld`);
  if (!jsonLd.ok) return page; // 404 unknown, 410 no longer open: no structured data
  const script = `<script type="application/ld+json">${await jsonLd.text()}</script>`; // safe: no "<" inside
  return new HTMLRewriter().on('head', { element: (head) => void head.append(script, { html: true }) }).transform(page);
}

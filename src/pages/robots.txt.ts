import type { APIRoute } from 'astro';
import { BASE } from '#src/i18n/paths.ts';

export const prerender = true;

/** `/robots.txt`: everything may be crawled except the form endpoints; points to the sitemap. */
export const GET: APIRoute = ({ site }) => {
  if (!site) throw new Error('astro.config.mjs: site is not set; set SITE_URL to the public origin');
  const lines = ['User-agent: *', `Disallow: ${BASE}api/`, `Disallow: ${BASE}language/`, '', `Sitemap: ${new URL(`${BASE}sitemap.xml`, site).href}`];
  return new Response(`${lines.join('\n')}\n`, { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
};

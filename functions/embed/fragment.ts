/**
 * Fragments live in host pages on other origins, where a root-relative URL (`/careers/de/…`)
 * would point into the host's site. This makes every URL of a fragment absolute, on the public
 * origin of our pages (SITE_URL), whatever rendered it: links, the form's action and API, and
 * the scripts the framework added. And it tells a page fetched to be pierced into a host's
 * page (Web Fragments) from one the browser asked for.
 */

/** Attributes that hold a URL in our markup. */
const URL_ATTRIBUTES = ['href', 'src', 'action', 'data-api'] as const;

/** Returns the HTML response with each root-relative URL made absolute on `origin`. */
export function withAbsoluteUrls(response: Response, origin: string): Response {
  const rewriter = new HTMLRewriter();
  for (const attribute of URL_ATTRIBUTES) {
    rewriter.on(`[${attribute}^="/"]`, {
      element(element) {
        const value = element.getAttribute(attribute) ?? '';
        // "//host/…" is already absolute (scheme-relative).
        if (!value.startsWith('//')) element.setAttribute(attribute, `${origin}${value}`);
      },
    });
  }
  return rewriter.transform(response);
}

/**
 * Whether the request is a Web Fragments gateway's fetch of a page to pierce into its host's
 * page: web-fragments marks each one `X-Fragment-Mode: embedded` (its gateway's `fetchFragment`).
 */
export function isPiercingFetch(request: Request): boolean {
  return request.headers.get('X-Fragment-Mode') === 'embedded';
}

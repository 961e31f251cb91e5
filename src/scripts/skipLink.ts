/**
 * The skip link ("Skip to main content") moves keyboard focus past the header to <main id="main">.
 * On our own pages the browser does that itself. Pierced into a host's page by Web Fragments,
 * our page lives in a shadow root, where following `#main` searches the host's document, finds
 * nothing and leaves focus on the link (WCAG 2.4.1). There, this script moves focus itself.
 */
for (const link of document.querySelectorAll<HTMLAnchorElement>('a.skip-link[href^="#"]')) {
  // The real root: Web Fragments patches the page's getRootNode (and ownerDocument) to answer
  // with its script iframe's document; this realm's own method does not lie.
  const root = Node.prototype.getRootNode.call(link) as Document | ShadowRoot;
  if (root.nodeType !== Node.DOCUMENT_FRAGMENT_NODE) continue;
  link.dataset.enhanced = 'true';
  link.addEventListener('click', (event) => {
    const target = root.querySelector<HTMLElement>(link.hash);
    if (!target) return;
    event.preventDefault();
    target.focus();
  });
}

/**
 * Links inside Markdown bodies: internal links must lead to a page the build produces,
 * external ones must be well-formed web addresses.
 */
import path from 'node:path';

/** A link found in a Markdown body. */
export interface MarkdownLink {
  /** The link target as written. */
  href: string;
  /** 1-based line within the body. */
  line: number;
}

/**
 * Finds inline links and images `[text](target "title")`, autolinks `<https://…>` and
 * reference definitions `[id]: target`, outside fenced code blocks and inline code.
 */
export function extractLinks(body: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  let fenced = false;
  body.split('\n').forEach((rawLine, index) => {
    if (/^\s{0,3}(```|~~~)/.test(rawLine)) {
      fenced = !fenced;
      return;
    }
    if (fenced) return;
    const line = rawLine.replace(/`[^`]*`/g, (code) => ' '.repeat(code.length));
    const push = (href: string | undefined) => href !== undefined && links.push({ href, line: index + 1 });
    for (const match of line.matchAll(/\]\(\s*<?([^)\s>]*)>?(?:\s+["'(][^)]*)?\)/g)) push(match[1]);
    for (const match of line.matchAll(/<((?:https?|mailto):[^>\s]*)>/g)) push(match[1]);
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+["'(].*)?$/.exec(line);
    if (definition) push(definition[1]);
  });
  return links;
}

/** What a link check needs to know about the site. */
export interface LinkContext {
  /** Site path of the page the link is on, below the base, e.g. "/de/jobs/data-engineer/". */
  pagePath: string;
  /** Every site path the build produces, below the base, e.g. "/de/jobs/data-engineer/". */
  pages: ReadonlySet<string>;
}

/** What is wrong with a link and how to fix it, or undefined when it is fine. */
export function checkLink(href: string, { pagePath, pages }: LinkContext): string | undefined {
  if (href === '') return 'is empty; put the address between the parentheses';
  if (href.startsWith('#')) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') {
    let url: URL | undefined;
    try {
      url = new URL(href);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:\/\/[^/?#]/i.test(href) || !url.hostname.includes('.') || url.hostname.startsWith('.') || url.hostname.endsWith('.')) {
      return `"${href}" is not a valid web address; write it in full, e.g. https://www.example.com/page`;
    }
    return undefined;
  }
  if (scheme === 'mailto') return /^mailto:[^@\s]+@[^@\s]+\.[^@\s]+$/i.test(href) ? undefined : `"${href}" is not a valid e-mail link; write it as mailto:name@example.com`;
  if (scheme === 'tel') return undefined;
  if (scheme) return `"${href}" uses "${scheme}:"; link to a web page with https:// or to an e-mail address with mailto:`;
  if (href.startsWith('//')) return `"${href}" lacks the scheme; write it in full, e.g. https:${href}`;

  const target = href.replace(/[?#].*$/, '');
  const resolved = path.posix.resolve(pagePath, target) + (target.endsWith('/') || target === '' ? '/' : '');
  const normalized = resolved.replace(/\/+$/, '/') || '/';
  const relative = (to: string) => {
    const from = pagePath.endsWith('/') ? pagePath : `${pagePath}/`;
    const result = path.posix.relative(from, to);
    return `${result || '.'}/`;
  };
  if (href.startsWith('/') && pages.has(normalized)) {
    return `"${href}" starts with "/", which breaks when the site lives under a base path such as /careers/; write it relative to this page: "${relative(normalized)}"`;
  }
  if (pages.has(normalized)) return undefined;
  if (!normalized.endsWith('/') && pages.has(`${normalized}/`)) return `"${href}" lacks the trailing slash; write "${href.replace(/([^/?#]+)([?#].*)?$/, '$1/$2')}"`;
  return `"${href}" leads to ${normalized}, which is no page of the site; link to an existing posting, e.g. "../<slug>/", or remove the link`;
}

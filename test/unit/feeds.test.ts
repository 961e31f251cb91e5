import { describe, expect, it } from 'vitest';
import { escapeXml, renderJsonFeed, renderRss, renderSitemap, type Feed } from '#src/postings/feeds.ts';

const feed: Feed = {
  title: 'Karriere: offene Stellen',
  description: 'Offene Stellen',
  language: 'de-DE',
  homePageUrl: 'https://example.com/careers/de/',
  feedUrl: 'https://example.com/careers/de/feed.json',
  items: [
    {
      url: 'https://example.com/careers/de/jobs/a/',
      title: 'Entwickler <C++> & Co (m/w/d)',
      summary: 'Kurz',
      contentHtml: '<p>Text</p>',
      published: new Date('2026-03-01T00:00:00Z'),
      validThrough: new Date('2026-12-31T00:00:00Z'),
      team: 'Design',
      location: 'München, Bayern',
      employmentType: 'INTERN',
      employmentTypeLabel: 'Praktikum',
    },
  ],
};

describe('renderJsonFeed', () => {
  it('writes JSON Feed 1.1 with the required fields and the _job extension', () => {
    const json = JSON.parse(renderJsonFeed(feed));
    expect(json.version).toBe('https://jsonfeed.org/version/1.1');
    expect(json).toMatchObject({ title: feed.title, home_page_url: feed.homePageUrl, feed_url: feed.feedUrl, language: 'de-DE' });
    expect(json.items[0]).toMatchObject({
      id: feed.items[0]?.url,
      url: feed.items[0]?.url,
      content_html: '<p>Text</p>',
      date_published: '2026-03-01T00:00:00.000Z',
      _job: { employmentType: 'INTERN', validThrough: '2026-12-31', location: 'München, Bayern' },
    });
  });
});

describe('renderRss', () => {
  it('escapes text and carries a self link, permalink guid and RFC 822 date', () => {
    const xml = renderRss({ ...feed, feedUrl: 'https://example.com/careers/de/feed.xml' });
    expect(xml).toContain('<title>Entwickler &lt;C++&gt; &amp; Co (m/w/d)</title>');
    expect(xml).toContain('<atom:link href="https://example.com/careers/de/feed.xml" rel="self" type="application/rss+xml"/>');
    expect(xml).toContain('<guid isPermaLink="true">https://example.com/careers/de/jobs/a/</guid>');
    expect(xml).toContain('<pubDate>Sun, 01 Mar 2026 00:00:00 GMT</pubDate>');
  });
});

describe('renderSitemap', () => {
  it('lists each language version with all alternates and x-default', () => {
    const xml = renderSitemap([{ alternates: { en: 'https://e.com/en/', de: 'https://e.com/de/' }, defaultLanguage: 'en' }]);
    expect(xml.match(/<url>/g)).toHaveLength(2);
    expect(xml).toContain('<loc>https://e.com/de/</loc>');
    expect(xml.match(/hreflang="x-default" href="https:\/\/e.com\/en\/"/g)).toHaveLength(2);
  });
});

describe('escapeXml', () => {
  it('escapes the five XML special characters', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });
});

import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown } from '../../../renderer/src/views/runbooks/Markdown';

describe('runbook guidance Markdown', () => {
  const html = (source: string) => renderToStaticMarkup(createElement(Markdown, { source }));

  it('understands paragraphs, lists and fenced blocks', () => {
    const out = html('First line\nsecond line\n\n- one\n- [ ] two\n\n```text\nraw <b>\n```');
    expect(out).toContain('<p>First line second line</p>');
    expect(out).toContain('<ul><li>one</li><li>[ ] two</li></ul>');
    expect(out).toContain('<pre>raw &lt;b&gt;</pre>');
  });

  it('reads what real runbooks write: fences in numbered lists, tables, setext headings, links as text', () => {
    const out = html('Mitigation\n----------\n\n3. **Scale down**\n\n   ```promql\n   rate(x[5m])\n   ```\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\nSee [docs](https://example.com).');
    expect(out).toContain('<h2>Mitigation</h2>');
    // The fence stays inside its list item; a promql block also gets its Run button (issue 21).
    expect(out).toMatch(/<ol start="3"><li><p><strong>Scale down<\/strong><\/p><div class="promql-block"[^>]*><div class="md-code" data-language="promql">.*<pre>rate\(x\[5m\]\)<\/pre><\/div><button[^>]*data-testid="promql-run"[^>]*>[^<]*<\/button><\/div><\/li><\/ol>/);
    expect(out).toContain('<td class="md-textalignright">2</td>');
    expect(out).toContain('<span class="md-link" title="https://example.com">docs</span>');
    expect(out).not.toContain('<a ');
  });

  it('leaves HTML comments out: they are notes to editors', () => {
    const out = html('Before.\n\n<!-- owner: platform team\nreview yearly -->\n\nAfter.');
    expect(out).toBe('<div class="md"><p>Before.</p><p>After.</p></div>');
  });

  it('never interprets HTML from the runbook', () => {
    const html = renderToStaticMarkup(createElement(Markdown, { source: 'Look at **this** `code` <img src=x onerror=alert(1)> <script>alert(1)</script>' }));
    expect(html).toContain('<strong>this</strong>');
    expect(html).toContain('<code>code</code>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;');
  });
});

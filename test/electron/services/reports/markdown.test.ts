import { describe, expect, it } from 'vitest';
import { markdownToHtml, mdCode, mdInline, mdText } from '../../../../electron/services/reports/markdown';

describe('Markdown escaping of record values', () => {
  it('round-trips awkward text through the converter unchanged', () => {
    for (const raw of ['a *b* _c_ `d` <e> [f](g) | h # i ~j~ \\k', '- not a list', '1. not ordered', '# not a heading', 'main_recent.log', 'x_', '[REDACTED]']) {
      expect(markdownToHtml(mdText(raw))).toBe(`<p>${raw.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')}</p>`);
    }
  });

  it('keeps identifiers readable in the Markdown itself', () => {
    expect(mdText('logs/main_recent.log')).toBe('logs/main_recent.log');
    expect(mdText('[REDACTED]')).toBe('[REDACTED]');
    expect(mdText('[x](y)')).toBe('[x\\](y)');
  });

  it('flattens line breaks for table cells and list items', () => {
    expect(mdInline('one\ntwo\r\n three')).toBe('one / two / three');
  });

  it('makes code spans that survive backticks and pipes inside tables', () => {
    expect(mdCode('ls `pwd`')).toBe('`` ls `pwd` ``');
    expect(markdownToHtml(mdCode('ls `pwd`'))).toBe('<p><code>ls `pwd`</code></p>');
    expect(markdownToHtml(`| a |\n|---|\n| ${mdCode('grep a | wc -l')} |`)).toContain('<td><code>grep a | wc -l</code></td>');
    expect(markdownToHtml(`- ${mdCode('grep a | wc -l', false)}`)).toContain('<li><code>grep a | wc -l</code>');
  });
});

describe('Markdown to HTML', () => {
  it('renders headings, lists, nested lists, tasks, tables, quotes, rules and code', () => {
    const html = markdownToHtml(
      ['# Title', '', 'para **bold** *em* `code`', '', '- a', '  - a1', '- [x] done', '- [ ] open', '', '1. one', '2. two', '', '> quoted', '', '---', '', '```', '<raw> & stuff', '```', '', '| h1 | h2 |', '|---|---|', '| 2026-11-23 09:00:00 UTC | 12 |'].join('\n'),
    );
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<p>para <strong>bold</strong> <em>em</em> <code>code</code></p>');
    expect(html).toMatch(/<ul>\n<li>a\n<ul>\n<li>a1\n<\/li>\n<\/ul>/);
    expect(html).toContain('<li class="task">☑ done');
    expect(html).toContain('<li class="task">☐ open');
    expect(html).toContain('<ol>');
    expect(html).toContain('<blockquote><p>quoted</p></blockquote>');
    expect(html).toContain('<hr>');
    expect(html).toContain('<pre><code>&lt;raw&gt; &amp; stuff</code></pre>');
    expect(html).toContain('<td class="time">2026-11-23 09:00:00 UTC</td><td class="num">12</td>');
  });

  it('marks prompts, shows links as text and never emits markup from input', () => {
    expect(markdownToHtml('_[To be completed: root cause]_')).toBe('<p><em class="prompt">[To be completed: root cause]</em></p>');
    expect(markdownToHtml('[site](https://example.com)')).toBe('<p>site (https://example.com)</p>');
    const html = markdownToHtml('<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n| <b> |\n|---|\n| <i> |');
    expect(html).not.toMatch(/<(script|img|b|i)[\s>]/);
  });

  it('replaces chart markers with the given SVG and drops other comments', () => {
    expect(markdownToHtml('<!-- firebreak:chart 0 -->\n<!-- hidden -->', { chart: () => '<svg></svg>' })).toBe('<figure class="chart"><svg></svg></figure>');
  });
});

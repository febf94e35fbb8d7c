import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown, parseBlocks } from '../../../renderer/src/views/runbooks/Markdown';

describe('runbook guidance Markdown', () => {
  it('understands paragraphs, lists and fenced blocks', () => {
    expect(parseBlocks('First line\nsecond line\n\n- one\n- [ ] two\n\n```text\nraw <b>\n```')).toEqual([
      { kind: 'p', text: 'First line second line' },
      { kind: 'ul', items: ['one', 'two'] },
      { kind: 'pre', text: 'raw <b>' },
    ]);
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

import MarkdownIt, { type Token } from 'markdown-it';
import { createElement, Fragment, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PromqlBlock } from '../metrics/PromqlBlock';
import { ProbeQueryBlock } from './ProbeQueryBlock';

// Runbook guidance, parsed with the same CommonMark parser the main side reads runbooks
// with (markdown-it), so what the parser called guidance is shown the way it was written:
// nested lists, tables, code blocks. The token tree becomes React elements from a fixed
// list of tags: HTML in a runbook is never interpreted (html: false makes it text), and
// links stay text with their address shown on hover: the console never navigates away.

const md = new MarkdownIt('default', { html: false, linkify: false, typographer: false });

const BLOCK_TAGS = new Set(['p', 'ul', 'ol', 'li', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'strong', 'em', 's']);

interface Node {
  readonly token: Token | null;
  readonly children: Array<Node | Token>;
}

/** Nests the flat token stream (nesting 1 / -1) into a tree. */
function tree(tokens: readonly Token[]): Node {
  const root: Node = { token: null, children: [] };
  const stack: Node[] = [root];
  for (const token of tokens) {
    const top = stack[stack.length - 1]!;
    if (token.nesting === 1) {
      const node: Node = { token, children: [] };
      top.children.push(node);
      stack.push(node);
    } else if (token.nesting === -1) {
      if (stack.length > 1) stack.pop();
    } else if (token.type === 'inline') {
      top.children.push(...tree(token.children ?? []).children);
    } else {
      top.children.push(token);
    }
  }
  return root;
}

function CodeBlock({ text, language }: { readonly text: string; readonly language: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(text).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <div className="md-code" data-language={language || undefined}>
      <div className="md-code-head">
        {language && <span className="cmd-lang">{language}</span>}
        <button type="button" className="copy-button" onClick={copy} data-testid="copy-code">
          {copied ? t('runbooks.copied') : t('runbooks.copy')}
        </button>
      </div>
      <pre>{text.replace(/\n$/, '')}</pre>
    </div>
  );
}

function isComment(paragraph: Node): boolean {
  const text = paragraph.children.map((c) => ('content' in c ? c.content : '')).join('\n').trim();
  return text.startsWith('<!--') && text.endsWith('-->');
}

function render(children: ReadonlyArray<Node | Token>): ReactNode[] {
  return children.map((child, key) => {
    if ('children' in child && 'token' in child) {
      const token = child.token;
      if (!token) return render(child.children);
      // An HTML comment (`<!-- owner: … -->`) is a note to editors, not guidance.
      if (token.type === 'paragraph_open' && isComment(child)) return null;
      const inner = render(child.children);
      // Paragraphs in a tight list are hidden by markdown-it: the item holds the text.
      if (token.hidden) return createElement(Fragment, { key }, inner);
      if (token.type === 'link_open') return createElement('span', { key, className: 'md-link', title: String(token.attrGet('href') ?? '') }, inner);
      if (token.type === 'ordered_list_open') return createElement('ol', { key, start: Number(token.attrGet('start') ?? 1) }, inner);
      if (token.tag === 'th' || token.tag === 'td') {
        const style = String(token.attrGet('style') ?? '');
        return createElement(token.tag, { key, className: style ? `md-${style.replace(/[^a-z]/g, '')}` : undefined }, inner);
      }
      return BLOCK_TAGS.has(token.tag) ? createElement(token.tag, { key }, inner) : createElement('span', { key }, inner);
    }
    const token = child;
    switch (token.type) {
      case 'text':
        return token.content;
      case 'code_inline':
        return <code key={key}>{token.content}</code>;
      case 'softbreak':
        return ' ';
      case 'hardbreak':
        return <br key={key} />;
      case 'fence': {
        const language = token.info.trim().split(/\s+/)[0] ?? '';
        const block = <CodeBlock key={key} text={token.content} language={language} />;
        // PromQL runs against the configured Prometheus, Redis and Cypher against a configured
        // probe target; read-only by default, the answer kept as evidence.
        if (language === 'promql') {
          return (
            <PromqlBlock key={key} query={token.content}>
              {block}
            </PromqlBlock>
          );
        }
        if (language === 'redis' || language === 'cypher') {
          return (
            <ProbeQueryBlock key={key} language={language} text={token.content}>
              {block}
            </ProbeQueryBlock>
          );
        }
        return block;
      }
      case 'code_block':
        return <CodeBlock key={key} text={token.content} language="" />;
      case 'hr':
        return <hr key={key} />;
      case 'image':
        return token.content;
      default:
        // html_inline / html_block cannot occur with html: false; anything else shows as text.
        return token.content;
    }
  });
}

export function Markdown({ source, className }: { readonly source: string; readonly className?: string }) {
  if (source.trim() === '') return null;
  return <div className={className ?? 'md'}>{render(tree(md.parse(source, {})).children)}</div>;
}

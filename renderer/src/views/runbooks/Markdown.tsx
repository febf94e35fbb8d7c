import { Fragment, type ReactNode } from 'react';

// A deliberately tiny Markdown renderer for runbook guidance: paragraphs, bullet lists,
// fenced blocks, `code`, **bold** and *emphasis*. Everything becomes React text nodes
// (escaped by React); no HTML from the runbook is ever interpreted, and links stay text.

function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  const pattern = /(`[^`]+`|\*\*[^*]+\*\*|\*[^*\s][^*]*\*)/g;
  let last = 0;
  let key = 0;
  for (const match of text.matchAll(pattern)) {
    const token = match[0];
    if (match.index > last) out.push(text.slice(last, match.index));
    if (token.startsWith('`')) out.push(<code key={key++}>{token.slice(1, -1)}</code>);
    else if (token.startsWith('**')) out.push(<strong key={key++}>{token.slice(2, -2)}</strong>);
    else out.push(<em key={key++}>{token.slice(1, -1)}</em>);
    last = match.index + token.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

type Block = { kind: 'p'; text: string } | { kind: 'ul'; items: string[] } | { kind: 'pre'; text: string };

export function parseBlocks(source: string): Block[] {
  const blocks: Block[] = [];
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  let para: string[] = [];
  let list: string[] | null = null;
  const flush = () => {
    if (para.length) blocks.push({ kind: 'p', text: para.join(' ') });
    if (list) blocks.push({ kind: 'ul', items: list });
    para = [];
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const fence = /^(```|~~~)/.exec(line);
    if (fence) {
      flush();
      const body: string[] = [];
      while (++i < lines.length && !lines[i]!.trim().startsWith(fence[1]!)) body.push(lines[i]!.replace(/^ {0,4}/, ''));
      blocks.push({ kind: 'pre', text: body.join('\n') });
      continue;
    }
    if (line === '') {
      flush();
      continue;
    }
    const item = /^[-*+]\s+(?:\[[ xX]\]\s+)?(.*)$/.exec(line);
    if (item) {
      if (para.length) {
        blocks.push({ kind: 'p', text: para.join(' ') });
        para = [];
      }
      list ??= [];
      list.push(item[1]!);
    } else if (list && lines[i]!.startsWith('  ')) {
      list[list.length - 1] += ` ${line}`;
    } else {
      if (list) {
        blocks.push({ kind: 'ul', items: list });
        list = null;
      }
      para.push(line.replace(/^#+\s*/, ''));
    }
  }
  flush();
  return blocks;
}

export function Markdown({ source, className }: { readonly source: string; readonly className?: string }) {
  const blocks = parseBlocks(source);
  if (blocks.length === 0) return null;
  return (
    <div className={className ?? 'md'}>
      {blocks.map((b, i) => (
        <Fragment key={i}>
          {b.kind === 'p' && <p>{inline(b.text)}</p>}
          {b.kind === 'ul' && (
            <ul>
              {b.items.map((item, j) => (
                <li key={j}>{inline(item)}</li>
              ))}
            </ul>
          )}
          {b.kind === 'pre' && <pre>{b.text}</pre>}
        </Fragment>
      ))}
    </div>
  );
}

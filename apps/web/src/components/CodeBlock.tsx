import type { CSSProperties } from 'react';

interface CodeBlockProps {
  code: string;
  testId?: string;
}

/** A line's indent as padding, with a hanging indent so the rest of a wrapped line sits under its start. */
function lineStyle(line: string): CSSProperties {
  const indent = line.length - line.trimStart().length;
  return { paddingLeft: `${indent + 2}ch`, textIndent: '-2ch' };
}

/**
 * Monospace code (PromQL) as laid out, wrapping long lines instead of scrolling sideways; a wrapped
 * line stays under its own indent, so the nesting still reads in a narrow column.
 */
export function CodeBlock({ code, testId }: CodeBlockProps) {
  return (
    <pre className="code-block" data-testid={testId}>
      <code>
        {code.split('\n').map((line, index) => (
          <span key={index} className="code-line" style={lineStyle(line)}>
            {line.trimStart() || '\u00a0'}
          </span>
        ))}
      </code>
    </pre>
  );
}

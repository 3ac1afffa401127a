/** Help text whose `backticked` parts are code (PromQL, field names), set in monospace. */
export function TextWithCode({ text }: { text: string }) {
  return (
    <>
      {text.split('`').map((part, index) =>
        index % 2 === 1 ? (
          <code key={index} className="inline-code">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}

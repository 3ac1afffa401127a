/** A column header with a smaller second line naming what is under the main value. */
export function ColumnTitle({ title, sub }: { title: string; sub: string }) {
  return (
    <span className="column-title">
      <span>{title}</span>
      <span className="column-title-sub">{sub}</span>
    </span>
  );
}

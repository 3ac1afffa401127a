/** The OK label of a confirmation, marked so page objects can confirm without relying on antd's classes. */
export function ConfirmText({ children }: { children: string }) {
  return <span data-testid="confirm-ok">{children}</span>;
}

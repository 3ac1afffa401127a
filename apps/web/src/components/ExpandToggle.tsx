import type { MouseEvent } from 'react';
import { DownOutlined, RightOutlined } from '@ant-design/icons';
import { Button } from 'antd';

interface ExpandToggleProps {
  expanded: boolean;
  label: string;
  onToggle: (event: MouseEvent<HTMLElement>) => void;
  /** What page objects look for; the reports' project rows expand namespaces. */
  testId?: string;
}

/** A table row's expand button, marked for page objects. */
export function ExpandToggle({ expanded, label, onToggle, testId = 'expand-namespaces' }: ExpandToggleProps) {
  return (
    <Button
      type="text"
      size="small"
      icon={expanded ? <DownOutlined /> : <RightOutlined />}
      onClick={onToggle}
      aria-expanded={expanded}
      aria-label={label}
      data-testid={testId}
    />
  );
}

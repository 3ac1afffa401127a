import type { MouseEvent } from 'react';
import { DownOutlined, RightOutlined } from '@ant-design/icons';
import { Button } from 'antd';

interface ExpandToggleProps {
  expanded: boolean;
  label: string;
  onToggle: (event: MouseEvent<HTMLElement>) => void;
}

/** A table row's expand button, marked for page objects. */
export function ExpandToggle({ expanded, label, onToggle }: ExpandToggleProps) {
  return (
    <Button
      type="text"
      size="small"
      icon={expanded ? <DownOutlined /> : <RightOutlined />}
      onClick={onToggle}
      aria-expanded={expanded}
      aria-label={label}
      data-testid="expand-namespaces"
    />
  );
}

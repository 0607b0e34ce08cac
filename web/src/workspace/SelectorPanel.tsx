import { Button } from '../components/ui';
import type { WorkspaceContext } from './context';

export function SelectorPanel({
  selectorId,
  onClose,
}: {
  investigation: WorkspaceContext;
  selectorId: string;
  onClose: () => void;
}) {
  return (
    <aside className="panel" aria-label="Selector">
      <p>{selectorId}</p>
      <Button onClick={onClose}>Close</Button>
    </aside>
  );
}

import { EmptyState } from '../components/ui';

export function ExportTab() {
  return <EmptyState title="Export is coming in the next commit." />;
}

import { EmptyState } from '../components/ui';

export function DocumentsTab() {
  return <EmptyState title="Documents is coming in the next commit." />;
}

import { EmptyState } from '../components/ui';

export function SearchTab() {
  return <EmptyState title="Search is coming in the next commit." />;
}

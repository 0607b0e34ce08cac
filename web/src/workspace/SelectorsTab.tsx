import { EmptyState } from '../components/ui';

export function SelectorsTab() {
  return <EmptyState title="Selectors is coming in the next commit." />;
}

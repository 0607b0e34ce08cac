import { EmptyState } from '../components/ui';

export function ActivityTab() {
  return <EmptyState title="Activity is coming in the next commit." />;
}

import { EmptyState } from '../components/ui';

export function MembersTab() {
  return <EmptyState title="Members is coming in the next commit." />;
}

import { EmptyState } from '../components/ui';

export default function GraphTab() {
  return <EmptyState title="Graph is coming in a later commit." />;
}

import { EmptyState } from '../components/ui';

export function IngestTab() {
  return <EmptyState title="Ingest is coming in the next commit." />;
}

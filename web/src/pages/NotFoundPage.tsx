import { Link } from 'react-router';
import { EmptyState } from '../components/ui';

export function NotFoundPage() {
  return (
    <EmptyState title="There is no page at this address.">
      <Link to="/">Go to your investigations</Link>
    </EmptyState>
  );
}

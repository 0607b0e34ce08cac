import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { plainMessage } from '../api/client';
import { Button, EmptyState } from '../components/ui';

/**
 * What a page shows when rendering it threw: the error in words, a way to retry, a way home. Logged to
 * the console too, so a bug report has the stack.
 */
export function RouteError() {
  const error = useRouteError();
  console.error(error);
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : plainMessage(error);
  return (
    <div role="alert" data-testid="route-error">
      <EmptyState title="This page failed to display.">
        <p>{message}</p>
        <p>
          <Button onClick={() => window.location.reload()}>Reload</Button> or{' '}
          <Link to="/">go to your investigations</Link>.
        </p>
      </EmptyState>
    </div>
  );
}

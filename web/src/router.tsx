import type { QueryClient } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { createBrowserRouter, Navigate, Outlet, useOutletContext } from 'react-router';
import { investigationQuery, meQuery, selectorsQuery } from './api/queries';
import { Loading } from './components/ui';
import { InvestigationsPage } from './pages/InvestigationsPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { RouteError } from './pages/RouteError';
import { RequireAuth, Shell } from './pages/Shell';
import { ActivityTab } from './workspace/ActivityTab';
import { DocumentsTab } from './workspace/DocumentsTab';
import { ExportTab } from './workspace/ExportTab';
import { IngestTab } from './workspace/IngestTab';
import { MembersTab } from './workspace/MembersTab';
import { SearchTab } from './workspace/SearchTab';
import { SelectorsTab } from './workspace/SelectorsTab';
import { Workspace } from './workspace/Workspace';

/** A layout route's plain <Outlet /> would reset the workspace context; this one hands it down. */
function PassContext() {
  return <Outlet context={useOutletContext()} />;
}

/** Cytoscape is the largest dependency by far: the graph tab loads it on first use, not with the app. */
const GraphTab = lazy(() => import('./workspace/GraphTab'));

/**
 * Routes. Loaders only *start* queries (TanStack Query's cache is the single source; components read it
 * with the same options), so the session, the investigation and its first selector page are requested in
 * parallel instead of one after another as components mount. They never await, so navigation is instant.
 */
export function createRouter(client: QueryClient) {
  const kickOff = (start: () => Promise<unknown>) => {
    void start().catch(() => {});
    return null;
  };
  return createBrowserRouter([
    { path: '/login', element: <LoginPage /> },
    {
      loader: () => kickOff(() => client.prefetchQuery(meQuery())),
      errorElement: <RouteError />,
      element: (
        <RequireAuth>
          <Shell />
        </RequireAuth>
      ),
      children: [
        { index: true, element: <InvestigationsPage /> },
        {
          path: 'investigations/:id',
          loader: ({ params }) => kickOff(() => client.prefetchQuery(investigationQuery(params.id ?? ''))),
          element: <Workspace />,
          children: [
            {
              // A tab that throws keeps the header and the other tabs usable.
              errorElement: <RouteError />,
              element: <PassContext />,
              children: [
                { index: true, element: <Navigate to="selectors" replace /> },
                { path: 'ingest', element: <IngestTab /> },
                {
                  path: 'selectors',
                  loader: ({ params }) =>
                    kickOff(() => client.prefetchInfiniteQuery(selectorsQuery(params.id ?? '', {}))),
                  element: <SelectorsTab />,
                },
                { path: 'documents', element: <DocumentsTab /> },
                { path: 'documents/:documentId', element: <DocumentsTab /> },
                {
                  path: 'graph',
                  element: (
                    <Suspense fallback={<Loading label="Loading the graph view…" />}>
                      <GraphTab />
                    </Suspense>
                  ),
                },
                { path: 'search', element: <SearchTab /> },
                { path: 'activity', element: <ActivityTab /> },
                { path: 'members', element: <MembersTab /> },
                { path: 'export', element: <ExportTab /> },
              ],
            },
          ],
        },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ]);
}

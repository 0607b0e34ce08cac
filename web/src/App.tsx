import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { Loading } from './components/ui';
import { InvestigationsPage } from './pages/InvestigationsPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { RequireAuth, Shell } from './pages/Shell';
import { ActivityTab } from './workspace/ActivityTab';
import { DocumentsTab } from './workspace/DocumentsTab';
import { ExportTab } from './workspace/ExportTab';
import { IngestTab } from './workspace/IngestTab';
import { MembersTab } from './workspace/MembersTab';
import { SearchTab } from './workspace/SearchTab';
import { SelectorsTab } from './workspace/SelectorsTab';
import { Workspace } from './workspace/Workspace';

/** Cytoscape is the largest dependency by far: the graph tab loads it on first use, not with the app. */
const GraphTab = lazy(() => import('./workspace/GraphTab'));

/** Routes: sign-in outside the shell; everything else needs a session (RequireAuth redirects to /login). */
export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireAuth>
            <Shell />
          </RequireAuth>
        }
      >
        <Route index element={<InvestigationsPage />} />
        <Route path="investigations/:id" element={<Workspace />}>
          <Route index element={<Navigate to="selectors" replace />} />
          <Route path="ingest" element={<IngestTab />} />
          <Route path="selectors" element={<SelectorsTab />} />
          <Route path="documents" element={<DocumentsTab />} />
          <Route path="documents/:documentId" element={<DocumentsTab />} />
          <Route
            path="graph"
            element={
              <Suspense fallback={<Loading label="Loading the graph view…" />}>
                <GraphTab />
              </Suspense>
            }
          />
          <Route path="search" element={<SearchTab />} />
          <Route path="activity" element={<ActivityTab />} />
          <Route path="members" element={<MembersTab />} />
          <Route path="export" element={<ExportTab />} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

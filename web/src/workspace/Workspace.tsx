import { useEffect } from 'react';
import { Link, NavLink, Outlet, useParams } from 'react-router';
import { useInvestigation } from '../api/queries';
import { Button, EmptyState, ErrorNote, Loading, RoleBadge, StatusBadge, TlpBadge } from '../components/ui';
import { useSelectorPanel, type WorkspaceContext } from './context';
import { SelectorPanel } from './SelectorPanel';

const TABS = [
  { to: 'ingest', label: 'Ingest', edit: true },
  { to: 'selectors', label: 'Selectors' },
  { to: 'documents', label: 'Documents' },
  { to: 'graph', label: 'Graph' },
  { to: 'search', label: 'Search' },
  { to: 'activity', label: 'Activity' },
  { to: 'members', label: 'Members' },
  { to: 'export', label: 'Export' },
] as const;

/** One investigation: header, section tabs, the active tab, and the selector panel when one is open. */
export function Workspace() {
  const { id = '' } = useParams();
  const inv = useInvestigation(id);
  const panel = useSelectorPanel();

  useEffect(() => {
    if (inv.data) document.title = `${inv.data.title} · OSINT Platform`;
  }, [inv.data]);

  if (inv.isPending) return <Loading label="Opening the investigation…" />;
  // Only a first load that failed replaces the page; a failed refresh keeps what is on screen.
  if (!inv.data) {
    return (
      <>
        <ErrorNote error={inv.error} action={<Button onClick={() => inv.refetch()}>Retry</Button>} />
        <EmptyState title="This investigation cannot be opened.">
          <Link to="/">Back to your investigations</Link>
        </EmptyState>
      </>
    );
  }
  const context: WorkspaceContext = {
    inv: inv.data,
    canEdit: inv.data.role !== 'viewer',
    isOwner: inv.data.role === 'owner',
  };
  const tabs = TABS.filter((t) => !('edit' in t) || context.canEdit);

  return (
    <div className={`workspace${panel.selectedId ? ' with-panel' : ''}`}>
      <header className="workspace-head">
        <div>
          <nav aria-label="Breadcrumb" className="crumbs">
            <Link to="/">Investigations</Link> <span aria-hidden="true">/</span>
          </nav>
          <h1 data-testid="investigation-title">{inv.data.title}</h1>
        </div>
        <div className="workspace-badges">
          <StatusBadge status={inv.data.status} />
          <TlpBadge tlp={inv.data.tlp} />
          <span className="muted">you are</span> <RoleBadge role={inv.data.role} />
        </div>
      </header>
      {!context.canEdit ? (
        <p className="notice" data-testid="viewer-notice">
          You are a viewer here: you can read everything, but not change it.
        </p>
      ) : null}
      <nav aria-label="Investigation sections" className="tabs">
        {tabs.map((t) => (
          <NavLink key={t.to} to={t.to} className={({ isActive }) => `tab${isActive ? ' active' : ''}`}>
            {t.label}
          </NavLink>
        ))}
      </nav>
      <div className="workspace-body">
        <section className="workspace-main" aria-live="off">
          <Outlet context={context} />
        </section>
        {panel.selectedId ? (
          <SelectorPanel
            key={panel.selectedId}
            investigation={context}
            selectorId={panel.selectedId}
            onClose={panel.close}
          />
        ) : null}
      </div>
    </div>
  );
}

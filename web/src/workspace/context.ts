import { useCallback } from 'react';
import { useOutletContext, useSearchParams } from 'react-router';
import type { Investigation } from '../api/types';

export interface WorkspaceContext {
  inv: Investigation;
  /** Editors and owners may change content; viewers see no edit controls (the API refuses them anyway). */
  canEdit: boolean;
  /** Owners manage members and delete the investigation. */
  isOwner: boolean;
}

export function useWorkspace(): WorkspaceContext {
  return useOutletContext<WorkspaceContext>();
}

/** The selector panel is driven by `?selector=<id>`, so any tab can open it and the URL can be shared. */
export function useSelectorPanel() {
  const [params, setParams] = useSearchParams();
  const selectedId = params.get('selector');
  const open = useCallback(
    (selectorId: string) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          next.set('selector', selectorId);
          return next;
        },
        { replace: false },
      );
    },
    [setParams],
  );
  const close = useCallback(() => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.delete('selector');
        return next;
      },
      { replace: false },
    );
  }, [setParams]);
  return { selectedId, open, close };
}

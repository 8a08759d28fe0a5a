// Loading, empty and error states, so no page is ever blank, and the page
// header every page starts with.
import type { ReactNode } from 'react';
import { errorMessage } from '@/lib/errors';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children && <div className="state-text">{children}</div>}
    </div>
  );
}

export function ErrorAlert({
  error,
  title,
  onRetry,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}) {
  return (
    <div className="alert alert-error" role="alert">
      <div>
        {title && <strong>{title} </strong>}
        {errorMessage(error)}
      </div>
      {onRetry && (
        <button type="button" className="button button-small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export interface QueryLike<T> {
  isPending: boolean;
  error: unknown;
  data: T | undefined;
  refetch(): unknown;
}

/**
 * A query's states in one place: loading, failed (with a retry), or its data;
 * a failed refresh keeps the data loaded before and says so.
 */
export function QueryState<T>({
  query,
  loading,
  failed,
  stale = 'Refreshing failed; showing what was loaded before.',
  children,
}: {
  query: QueryLike<T>;
  /** e.g. "Loading keys…" */
  loading: string;
  /** e.g. "Cannot load the keys." */
  failed: string;
  /** Said when a refresh fails while earlier data is shown. */
  stale?: string;
  children(data: T): ReactNode;
}) {
  if (query.isPending) return <Loading label={loading} />;
  const retry = () => void query.refetch();
  if (query.data === undefined)
    return <ErrorAlert title={failed} error={query.error} onRetry={retry} />;
  return (
    <>
      {query.error !== null && query.error !== undefined && (
        <ErrorAlert title={stale} error={query.error} onRetry={retry} />
      )}
      {children(query.data)}
    </>
  );
}

export function PageHeader({
  title,
  description,
  actions,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {description && <p className="page-description">{description}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge badge-${status.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`}>
      {status}
    </span>
  );
}

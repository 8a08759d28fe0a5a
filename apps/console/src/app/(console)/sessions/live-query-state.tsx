// A polled list (live sessions, an inspector log): the query's states, then
// a line saying what is shown, how often it is refreshed and when it last was.
import type { ReactNode } from 'react';
import { QueryState, type QueryLike } from '@/components/states';
import { formatDateTime } from '@/lib/format';

export function LiveQueryState<T>({
  query,
  pollMs,
  loading,
  failed,
  stale,
  summary,
  children,
}: {
  query: QueryLike<T> & { dataUpdatedAt: number };
  pollMs: number;
  loading: string;
  failed: string;
  stale: string;
  /** What is shown (counts), before "· refreshed every …". */
  summary(data: T): ReactNode;
  children(data: T): ReactNode;
}) {
  return (
    <QueryState query={query} loading={loading} failed={failed} stale={stale}>
      {(data) => (
        <>
          <div className="toolbar">
            <span>
              <span className="live-dot" aria-hidden="true" />
              {summary(data)} · refreshed every {pollMs / 1000} s
            </span>
            <span className="small">Updated {formatDateTime(query.dataUpdatedAt)}</span>
          </div>
          {children(data)}
        </>
      )}
    </QueryState>
  );
}

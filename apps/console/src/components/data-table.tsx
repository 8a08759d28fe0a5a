// The one table every list page uses: columns are data (a header, a cell),
// rows are keyed, and narrow screens read each cell's header from data-label.
import type { ReactNode } from 'react';

export interface Column<Row> {
  header: string;
  /** The cell's label on narrow screens, when it is not the header. */
  label?: string;
  /** The header is for screen readers only (an actions column). */
  hideHeader?: boolean;
  className?: string;
  title?(row: Row): string | null | undefined;
  cell(row: Row): ReactNode;
}

type RowData = Record<`data-${string}`, string>;

export function DataTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
  rowData,
  empty,
}: {
  /** Names the table for screen readers (and for tests). */
  caption: string;
  /** `false` leaves a column out, for columns that only some views have. */
  columns: (Column<Row> | false)[];
  rows: readonly Row[];
  rowKey(row: Row): string;
  rowData?(row: Row): RowData;
  /** Shown instead of the table when there are no rows. */
  empty: ReactNode;
}) {
  if (rows.length === 0) return <>{empty}</>;
  const shown = columns.filter((c): c is Column<Row> => c !== false);
  return (
    <div className="table-wrap">
      <table className="data">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {shown.map((c) => (
              <th key={c.header} scope="col">
                {c.hideHeader ? <span className="visually-hidden">{c.header}</span> : c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} {...rowData?.(row)}>
              {shown.map((c) => (
                <td
                  key={c.header}
                  data-label={c.label ?? c.header}
                  className={c.className}
                  title={c.title?.(row) ?? undefined}
                >
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The last column: a row's buttons, or a dash when it has none. */
export function actionsColumn<Row>(buttons: (row: Row) => ReactNode): Column<Row> {
  return {
    header: 'Actions',
    hideHeader: true,
    className: 'actions',
    cell: (row) => {
      const content = buttons(row);
      return content ? (
        <span className="button-row">{content}</span>
      ) : (
        <span className="muted small">—</span>
      );
    },
  };
}

/** A small button in a row; `name` says which row it acts on (e.g. "Revoke Till"). */
export function RowButton({
  name,
  tone,
  disabled,
  onClick,
  children,
}: {
  name: string;
  tone?: 'primary' | 'danger';
  disabled?: boolean;
  onClick(): void;
  children: ReactNode;
}) {
  const toneClass =
    tone === 'primary' ? ' button-primary' : tone === 'danger' ? ' button-danger-outline' : '';
  return (
    <button
      type="button"
      className={`button button-small${toneClass}`}
      aria-label={name}
      disabled={disabled}
      onClick={onClick}
    >
      {children}
    </button>
  );
}

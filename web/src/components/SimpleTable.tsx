// A light table for the staff screens (antd's Table with its pagination,
// filters and virtual list would double their JavaScript).
import { Spin } from 'antd';

export interface Column<T> {
  key: string;
  title: React.ReactNode;
  render: (row: T, index: number) => React.ReactNode;
  width?: number | string;
}

export function SimpleTable<T>({
  columns,
  rows,
  rowKey,
  empty,
  loading,
  rowClassName,
  onRowClick,
  testId,
}: {
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  empty?: React.ReactNode;
  loading?: boolean;
  rowClassName?: (row: T, index: number) => string;
  onRowClick?: (row: T, index: number) => void;
  testId?: string;
}) {
  return (
    <div className="simple-table-wrap" data-testid={testId}>
      <table className="simple-table">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} style={{ width: c.width }}>
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={rowKey(r)} data-row-key={rowKey(r)} className={rowClassName?.(r, i)} onClick={() => onRowClick?.(r, i)}>
              {columns.map((c) => (
                <td key={c.key}>{c.render(r, i)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {loading && rows.length === 0 && (
        <div style={{ padding: 32, textAlign: 'center' }}>
          <Spin />
        </div>
      )}
      {!loading && rows.length === 0 && empty}
    </div>
  );
}

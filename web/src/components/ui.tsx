// Small building blocks for the staff screens, lighter than their antd
// counterparts (Card pulls in Tabs, Badge and Skeleton their own styles, App
// the Modal and Notification machinery).
import { createContext, useContext } from 'react';
import { message } from 'antd';

export function Panel({
  title,
  extra,
  children,
  testId,
  bodyStyle,
}: {
  title?: React.ReactNode;
  extra?: React.ReactNode;
  children?: React.ReactNode;
  testId?: string;
  bodyStyle?: React.CSSProperties;
}) {
  return (
    <section className="panel" data-testid={testId}>
      {(title || extra) && (
        <header className="panel-head">
          <div className="panel-title">{title}</div>
          {extra && <div className="panel-extra">{extra}</div>}
        </header>
      )}
      <div className="panel-body" style={bodyStyle}>
        {children}
      </div>
    </section>
  );
}

/** A count bubble; a string is shown as it is (e.g. "20+" for a list without a total). */
export function Count({ value, color, testId, showZero = true }: { value: number | string; color?: string; testId?: string; showZero?: boolean }) {
  if (!showZero && !value) return null;
  return (
    <span className="count" style={color ? { background: color } : undefined} data-testid={testId}>
      {typeof value === 'number' && value > 99 ? '99+' : value}
    </span>
  );
}

type Toast = ReturnType<typeof message.useMessage>[0];
const ToastContext = createContext<Toast | null>(null);

/** Toast messages that follow the theme and language (message.useMessage). */
export function ToastProvider({ children }: { children: React.ReactNode }) {
  const [api, holder] = message.useMessage();
  return (
    <ToastContext.Provider value={api}>
      {holder}
      {children}
    </ToastContext.Provider>
  );
}

export function useToast(): Toast {
  const t = useContext(ToastContext);
  if (!t) throw new Error('ToastProvider missing');
  return t;
}

/** Headings and text without antd's Typography (copy/ellipsis/edit machinery). */
export function Title({ level = 4, children, style }: { level?: 3 | 4 | 5; children: React.ReactNode; style?: React.CSSProperties }) {
  const Tag = `h${level}` as 'h3';
  return (
    <Tag className={`ui-title ui-title-${level}`} style={style}>
      {children}
    </Tag>
  );
}

export function Muted({ children, style, block }: { children: React.ReactNode; style?: React.CSSProperties; block?: boolean }) {
  return block ? (
    <p className="muted" style={{ margin: 0, ...style }}>{children}</p>
  ) : (
    <span className="muted" style={style}>{children}</span>
  );
}

// antd's DatePicker is large; it loads only on screens that show a date.
import { lazy, Suspense } from 'react';
import { Input } from 'antd';

const Impl = lazy(() => import('./DateImpl'));
const RangeImpl = lazy(() => import('./DateImpl').then((m) => ({ default: m.RangeImpl })));

export interface DateInputProps {
  id?: string;
  /** `YYYY-MM-DD`, or RFC 3339 with `withTime`. */
  value?: string | null;
  onChange?: (v: string | undefined) => void;
  withTime?: boolean;
  disabled?: boolean;
}

export function DateInput(props: DateInputProps) {
  return (
    <Suspense fallback={<Input id={props.id} style={{ width: 200 }} disabled value={props.value ?? ''} readOnly />}>
      <Impl {...props} />
    </Suspense>
  );
}

export interface DateRangeProps {
  from: string | null;
  to: string | null;
  onChange: (from: string | null, to: string | null) => void;
}

export function DateRange(props: DateRangeProps) {
  return (
    <Suspense fallback={<Input style={{ width: 260 }} disabled />}>
      <RangeImpl {...props} />
    </Suspense>
  );
}

import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import type { DateInputProps, DateRangeProps } from './LazyDate';

export default function DateImpl({ id, value, onChange, withTime, disabled }: DateInputProps) {
  const v = value ? dayjs(value) : null;
  if (withTime) {
    return (
      <DatePicker
        id={id}
        disabled={disabled}
        showTime={{ format: 'HH:mm' }}
        format="YYYY-MM-DD HH:mm"
        value={v}
        onChange={(d) => onChange?.(d ? d.second(0).format() : undefined)}
      />
    );
  }
  return <DatePicker id={id} disabled={disabled} value={v} onChange={(d) => onChange?.(d ? d.format('YYYY-MM-DD') : undefined)} />;
}

export function RangeImpl({ from, to, onChange }: DateRangeProps) {
  return (
    <DatePicker.RangePicker
      value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
      onChange={(r) => onChange(r?.[0]?.format('YYYY-MM-DD') ?? null, r?.[1]?.format('YYYY-MM-DD') ?? null)}
    />
  );
}

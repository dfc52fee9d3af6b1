// Prints the gzipped JavaScript a first visit loads for each screen (the
// entry chunk, its static imports, and the lazily loaded page with its static
// imports) and fails when a staff screen goes over the budget.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const BUDGET_KB = 300;
const dist = 'dist';
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));
const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
const gz = new Map();
const size = (file) => {
  if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(join(dist, file)), { level: 9 }).length);
  return gz.get(file);
};
const closure = (key, seen = new Set()) => {
  if (seen.has(key) || !manifest[key]) return seen;
  seen.add(key);
  for (const imp of manifest[key].imports ?? []) closure(imp, seen);
  return seen;
};
const total = (keys) => [...keys].filter((k) => manifest[k].file.endsWith('.js')).reduce((s, k) => s + size(manifest[k].file), 0);
const pageKey = (name) => Object.keys(manifest).find((k) => k.endsWith(`/${name}.tsx`));
const kb = (n) => (n / 1024).toFixed(1);

const entry = closure(entryKey);
const screens = [
  ['staff', 'inbox', 'Inbox'],
  ['staff', 'catalogue', 'Catalogue'],
  ['staff', 'new ticket', 'NewTicket'],
  ['staff', 'my tickets', 'MyTickets'],
  ['staff', 'ticket page', 'TicketPage'],
  ['staff', 'resubmit', 'Resubmit'],
  ['lazy', 'mobile (/m)', 'MobileRoutes'],
  ['lazy', 'admin', 'AdminRoutes'],
  ['lazy', 'reports (ECharts)', 'Reports'],
];
console.log(`entry chunk + static imports: ${kb(total(entry))} KB gzip`);
let worst = 0;
for (const [kind, label, name] of screens) {
  const key = pageKey(name);
  if (!key) continue;
  const all = closure(key, new Set(entry));
  const n = total(all);
  if (kind === 'staff') worst = Math.max(worst, n);
  console.log(`${kind.padEnd(5)} ${label.padEnd(20)} initial JS ${kb(n).padStart(7)} KB gzip`);
}
console.log(`staff screens, largest initial JS: ${kb(worst)} KB gzip (budget ${BUDGET_KB} KB)`);
if (worst > BUDGET_KB * 1024) {
  console.error('bundle-size: over budget');
  process.exit(1);
}

// Prints the gzipped JavaScript a first visit loads for each screen of the
// web UI (its entry chunk, that chunk's static imports, and the lazily
// loaded page with its static imports) and fails when a staff screen goes
// over the budget. The web UI is the `index.html` entry only: GraphiQL
// (`graphiql.html`, its own page at GET /graphql) is measured on its own
// and must not be reachable from the web UI at all.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const BUDGET_KB = 300;
// GraphiQL is a developer tool on its own page: Monaco alone is ~700 KB
// gzip. This budget only catches an accident (say, a second copy of Monaco).
const GRAPHIQL_BUDGET_KB = 2500;
const dist = 'dist';
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));
const MAIN = 'index.html';
const GRAPHIQL = 'graphiql.html';
for (const key of [MAIN, GRAPHIQL]) {
  if (!manifest[key]?.isEntry) {
    console.error(`bundle-size: no entry ${key} in the manifest`);
    process.exit(1);
  }
}
const gz = new Map();
const size = (file) => {
  if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(join(dist, file)), { level: 9 }).length);
  return gz.get(file);
};
/** The chunk and its static imports; with `lazy`, its dynamic imports too. */
const closure = (key, seen = new Set(), lazy = false) => {
  if (seen.has(key) || !manifest[key]) return seen;
  seen.add(key);
  for (const imp of manifest[key].imports ?? []) closure(imp, seen, lazy);
  if (lazy) for (const imp of manifest[key].dynamicImports ?? []) closure(imp, seen, lazy);
  return seen;
};
const files = (keys, ext) => [...new Set([...keys].flatMap((k) => (ext === '.css' ? manifest[k].css ?? [] : [manifest[k].file])))].filter((f) => f.endsWith(ext));
const total = (keys, ext = '.js') => files(keys, ext).reduce((s, f) => s + size(f), 0);
const pageKey = (name) => Object.keys(manifest).find((k) => k.endsWith(`/${name}.tsx`));
const kb = (n) => (n / 1024).toFixed(1);

// The web UI must not load any GraphiQL code, not even lazily: no chunk it
// can reach may be GraphiQL's entry or carry GraphiQL's or Monaco's code.
const mainAll = closure(MAIN, new Set(), true);
const leaks = [...mainAll].filter((k) => {
  if (k === GRAPHIQL) return true;
  const text = readFileSync(join(dist, manifest[k].file), 'utf8');
  return text.includes('graphiql-container') || text.includes('monaco-editor');
});
if (leaks.length) {
  console.error(`bundle-size: the web UI reaches GraphiQL code: ${leaks.map((k) => manifest[k].file).join(', ')}`);
  process.exit(1);
}

const entry = closure(MAIN);
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
console.log(`web UI entry chunk + static imports: ${kb(total(entry))} KB gzip`);
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

// GraphiQL loads Monaco, its language modes and prettier right after the
// first paint, and starts its workers, so all of it counts for one visit.
const gqEntry = closure(GRAPHIQL);
const gqAll = closure(GRAPHIQL, new Set(), true);
const workers = (manifest[GRAPHIQL].assets ?? []).filter((f) => f.endsWith('.js'));
const gqWorkers = workers.reduce((s, f) => s + size(f), 0);
const gqTotal = total(gqAll) + total(gqAll, '.css') + gqWorkers;
console.log(`graphiql: entry JS ${kb(total(gqEntry))} KB, lazy JS ${kb(total(gqAll) - total(gqEntry))} KB, ` +
  `CSS ${kb(total(gqAll, '.css'))} KB, ${workers.length} workers ${kb(gqWorkers)} KB (gzip)`);
console.log(`graphiql: everything a visit loads: ${kb(gqTotal)} KB gzip (budget ${GRAPHIQL_BUDGET_KB} KB)`);

let failed = false;
if (worst > BUDGET_KB * 1024) {
  console.error('bundle-size: a staff screen is over budget');
  failed = true;
}
if (gqTotal > GRAPHIQL_BUDGET_KB * 1024) {
  console.error('bundle-size: GraphiQL is over budget');
  failed = true;
}
if (failed) process.exit(1);

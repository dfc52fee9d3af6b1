// Fails when the committed src/gql/ (or the per-document modules and
// re-exports scripts/doc-exports.mjs writes from it) differs from what
// codegen generates now.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dirs = ['src/gql', 'src/api/docs'];
const extra = ['src/api/documents.ts', 'src/api/admin-documents.ts'];
const backup = mkdtempSync(join(tmpdir(), 'signoff-gql-'));
const saved = (dir) => join(backup, dir.replaceAll('/', '_'));
for (const dir of dirs) if (existsSync(dir)) cpSync(dir, saved(dir), { recursive: true });
const before = extra.map((f) => [f, readFileSync(f, 'utf8')]);
let stale = [];
const read = (f) => { try { return readFileSync(f, 'utf8'); } catch { return null; } };
const list = (dir) => { try { return readdirSync(dir); } catch { return []; } };
try {
  execFileSync('npx', ['graphql-codegen', '--config', 'codegen.ts', '--silent'], { stdio: 'inherit' });
  execFileSync('node', ['scripts/doc-exports.mjs'], { stdio: 'inherit' });
  for (const dir of dirs) {
    const names = new Set([...list(dir), ...list(saved(dir))]);
    for (const name of names) {
      if (read(join(saved(dir), name)) !== read(join(dir, name))) stale.push(`${dir}/${name}`);
    }
  }
  for (const [f, text] of before) if (read(f) !== text) stale.push(f);
} finally {
  for (const dir of dirs) {
    rmSync(dir, { recursive: true, force: true });
    if (existsSync(saved(dir))) cpSync(saved(dir), dir, { recursive: true });
  }
  for (const [f, text] of before) writeFileSync(f, text);
  rmSync(backup, { recursive: true, force: true });
}
if (stale.length) {
  console.error(`codegen:check: generated GraphQL code is stale (${stale.join(', ')}); run \`npm run codegen\` and commit.`);
  process.exit(1);
}
console.log('codegen:check: src/gql and src/api/docs are current');

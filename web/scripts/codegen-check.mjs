// Fails when the committed src/gql/ differs from what codegen generates now.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const gql = 'src/gql';
const extra = ['src/api/documents.ts', 'src/api/admin-documents.ts'];
const backup = mkdtempSync(join(tmpdir(), 'signoff-gql-'));
cpSync(gql, join(backup, 'gql'), { recursive: true });
const saved = extra.map((f) => [f, readFileSync(f, 'utf8')]);
let stale = [];
const read = (f) => { try { return readFileSync(f, 'utf8'); } catch { return null; } };
try {
  execFileSync('npx', ['graphql-codegen', '--config', 'codegen.ts', '--silent'], { stdio: 'inherit' });
  execFileSync('node', ['scripts/doc-exports.mjs'], { stdio: 'inherit' });
  const names = new Set([...readdirSync(gql), ...readdirSync(join(backup, 'gql'))]);
  for (const name of names) {
    if (read(join(backup, 'gql', name)) !== read(join(gql, name))) stale.push(`src/gql/${name}`);
  }
  for (const [f, before] of saved) if (read(f) !== before) stale.push(f);
} finally {
  rmSync(gql, { recursive: true, force: true });
  cpSync(join(backup, 'gql'), gql, { recursive: true });
  for (const [f, before] of saved) writeFileSync(f, before);
  rmSync(backup, { recursive: true, force: true });
}
if (stale.length) {
  console.error(`codegen:check: src/gql is stale (${stale.join(', ')}); run \`npm run codegen\` and commit.`);
  process.exit(1);
}
console.log('codegen:check: src/gql is current');

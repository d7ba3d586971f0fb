// Rewrites the generated tables of README.md from the code: the validation rules, the metric
// methods and the cdk-nag acknowledgements. test/readme.test.ts keeps them equal.
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { README_TABLES } from '../test/readme-tables';

const readme = join(__dirname, '..', 'README.md');
let text = readFileSync(readme, 'utf8');
for (const [name, table] of Object.entries(README_TABLES)) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} ... ${end} block`);
  text = `${text.slice(0, from + start.length)}\n${table()}\n${text.slice(to)}`;
}
writeFileSync(readme, text);

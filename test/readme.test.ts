import { readFileSync } from 'fs';
import { join } from 'path';
import { README_TABLES } from './readme-tables';
import { RULES } from '../src/private/validation/rules';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
  test.each(Object.keys(README_TABLES))('the %s table is the one generated from the code (npx projen rules-doc)', (name) => {
    const block = readme.slice(readme.indexOf(`<!-- ${name}:start -->`), readme.indexOf(`<!-- ${name}:end -->`));
    expect(block.trim()).toBe(`<!-- ${name}:start -->\n${README_TABLES[name]()}`);
  });

  test('lists at least 30 rules', () => {
    expect(Object.keys(RULES).length).toBeGreaterThanOrEqual(30);
  });

  test('gives the two commands', () => {
    expect(readme).toContain('npm ci && npx cdk synth');
    expect(readme).toContain('npm test');
  });
});

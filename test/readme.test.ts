import { readFileSync } from 'fs';
import { join } from 'path';
import { RULES, rulesTable } from '../src/validation/core';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
  test('the validation rule table is the one generated from the code (npx projen rules-doc)', () => {
    const block = readme.slice(readme.indexOf('<!-- rules:start -->'), readme.indexOf('<!-- rules:end -->'));
    expect(block.trim()).toBe(`<!-- rules:start -->\n${rulesTable()}`);
  });

  test('lists at least 30 rules', () => {
    expect(Object.keys(RULES).length).toBeGreaterThanOrEqual(30);
  });

  test('gives the two commands', () => {
    expect(readme).toContain('npm ci && npx cdk synth');
    expect(readme).toContain('npm test');
  });
});

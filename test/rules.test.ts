import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { RULES } from '../src/validation/core';

/** Every *.test.ts below test/ but this one and the README check. */
function testSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name.startsWith('.') ? [] : testSources(p);
    return p.endsWith('.test.ts') && !/(rules|readme)\.test\.ts$/.test(p) ? [readFileSync(p, 'utf8')] : [];
  });
}

describe('the validation rule table', () => {
  const sources = testSources(__dirname).join('\n');

  test.each(Object.keys(RULES))('rule %s is triggered by a test that names it', (id) => {
    // errors appear as `[id]` in messages (escaped in regexes), warnings as `cdk-service-connect:id`,
    // and table-driven tests name the id as a string
    const named = [`\\[${id}\\]`, `[${id}]`, `cdk-service-connect:${id}`, `'${id}`].some((form) => sources.includes(form));
    expect(named).toBe(true);
  });
});

// Rewrites the validation rule table of README.md from the RULES table in the code.
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { rulesTable } from '../src/validation/core';

const START = '<!-- rules:start -->';
const END = '<!-- rules:end -->';
const readme = join(__dirname, '..', 'README.md');
const text = readFileSync(readme, 'utf8');
const from = text.indexOf(START);
const to = text.indexOf(END);
if (from < 0 || to < from) throw new Error(`README.md has no ${START} ... ${END} block`);
writeFileSync(readme, `${text.slice(0, from + START.length)}\n${rulesTable()}\n${text.slice(to)}`);

import { metricsTable } from '../src/private/metrics';
import { nagTable } from '../src/private/nag';
import { rulesTable } from '../src/private/validation/rules';

/** The README blocks generated from the code, by marker name (`<!-- name:start -->`). */
export const README_TABLES: Record<string, () => string> = {
  rules: rulesTable,
  metrics: metricsTable,
  nag: nagTable,
};

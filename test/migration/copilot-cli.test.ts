import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli } from '../helpers';

// The migrate-copilot command on the "shop" fixture app: --app/--env and ${VAR} from the environment.

const SHOP = path.join(__dirname, 'fixtures', 'copilot', 'shop', 'copilot');
const manifests = ['gateway', 'inventory', 'mailer', 'web'].map((s) => path.join(SHOP, s, 'manifest.yml'));

describe('migrate-copilot on a fixture app', () => {
  const saved = process.env.IMAGE_TAG;
  beforeAll(() => { process.env.IMAGE_TAG = '1.4.2'; });
  afterAll(() => {
    if (saved === undefined) delete process.env.IMAGE_TAG;
    else process.env.IMAGE_TAG = saved;
  });

  test('--app and --env resolve ${COPILOT_*}; other ${VAR} come from the environment', () => {
    // WHEN the CLI converts the manifests for shop/prod, writing the app
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'copilot-cli-')), 'app.ts');
    const r = cli('migrate-copilot', ...manifests, '--app', 'shop', '--env', 'prod', '--json', '--out', out);
    // THEN the plan carries the interpolated secret and image, and the app is written
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.stdout);
    const web = plan.services.find((s: { id: string }) => s.id === 'Web');
    expect(web.secrets[0]).toEqual({ name: 'DJANGO_SECRET_KEY', source: 'ssm-parameter', reference: '/copilot/shop/prod/secrets/django_secret_key' });
    expect(plan.services.find((s: { id: string }) => s.id === 'Inventory').image).toMatch(/inventory:1\.4\.2$/);
    expect(fs.readFileSync(out, 'utf8')).toContain("discoveryName: 'inventory-sc'");
  });

  test('--env that no manifest has: exit 1 with one line', () => {
    const r = cli('migrate-copilot', ...manifests, '--app', 'shop', '--env', 'qa');
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^cdk-service-connect: --env qa matches no environment of the manifests/)]);
  });

  test('the usage names the interpolation', () => {
    expect(cli('--help').stdout).toContain('${COPILOT_ENVIRONMENT_NAME}');
  });
});

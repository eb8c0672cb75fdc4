import { describe, expect, test } from 'vitest';
import { runConformance } from '../../../src/netcore/conformance/runner.js';
import { buildReport, formatSummary } from '../../../src/netcore/report.js';
import { DEFECTS, defectivePlugin, type Defect } from './defective-plugin.js';

// One run per defect: the suite must fail, and fail on the cases written for that class of behaviour.
describe('the suite catches each deliberate defect and names the case', () => {
  for (const [defect, { what, catches }] of Object.entries(DEFECTS) as [Defect, (typeof DEFECTS)[Defect]][]) {
    test(`${defect}: ${what}`, async () => {
      const name = `defective-${defect}`;
      const { cases } = await runConformance({ plugins: [{ name, plugin: defectivePlugin(defect) }] });
      const failed = cases.filter((c) => c.status === 'failed');
      const failedIds = failed.map((c) => c.id);
      for (const id of catches) expect(failedIds, `${id} should fail`).toContain(`${name}/${id}`);
      for (const c of failed) {
        expect(c.message, c.id).toBeTruthy();
        expect(c.location?.path, c.id).toMatch(/^src\/netcore\/conformance\/cases\/.+\.ts$/);
      }
      // a defect breaks its class of behaviour, not the whole suite
      expect(failed.length).toBeLessThan(cases.length / 4);
      const summary = formatSummary(buildReport('conformance', new Date(), cases));
      expect(summary).toContain(`FAIL ${name}/${catches[0]}`);
    });
  }
});

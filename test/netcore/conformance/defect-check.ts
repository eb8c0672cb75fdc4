import { describe, expect, test } from 'vitest';
import { ALL_CASES } from '../../../src/netcore/conformance/cases/index.js';
import { runConformance } from '../../../src/netcore/conformance/runner.js';
import { buildReport, formatSummary } from '../../../src/netcore/report.js';
import { DEFECTS, defectivePlugin, type Defect } from './defective-plugin.js';

/** A case's area: its category, or for services the service (`services.floating_ips`). */
const area = (id: string) => id.split('.').slice(0, id.startsWith('services.') ? 2 : 1).join('.');

/**
 * One run per defect: the suite must fail, and fail on the cases written for that class of
 * behaviour. Each run takes every case of the areas the defect should break and one case in eight
 * of the rest (the whole suite per defect took minutes; suite.test.ts runs all of it against the
 * sound plugins), and fewer than a quarter of those others may fail: a defect breaks its class of
 * behaviour, not everything.
 */
export function defectTests(which: (defect: Defect) => boolean): void {
  describe('the suite catches each deliberate defect and names the case', () => {
    for (const [defect, { what, catches }] of Object.entries(DEFECTS) as [Defect, (typeof DEFECTS)[Defect]][]) {
      if (!which(defect)) continue;
      test(`${defect}: ${what}`, async () => {
        const name = `defective-${defect}`;
        const areas = new Set<string>(catches.map(area));
        const own = ALL_CASES.filter((c) => areas.has(area(c.id)));
        const others = ALL_CASES.filter((c) => !areas.has(area(c.id))).filter((_, i) => i % 8 === 0);
        const { cases } = await runConformance({ plugins: [{ name, plugin: defectivePlugin(defect) }], cases: [...own, ...others] });
        const failed = cases.filter((c) => c.status === 'failed');
        const failedIds = failed.map((c) => c.id);
        for (const id of catches) expect(failedIds, `${id} should fail`).toContain(`${name}/${id}`);
        for (const c of failed) {
          expect(c.message, c.id).toBeTruthy();
          expect(c.location?.path, c.id).toMatch(/^src\/netcore\/conformance\/cases\/.+\.ts$/);
        }
        // a defect breaks its class of behaviour, not the whole suite: few cases outside its areas fail
        const outside = failed.filter((c) => !areas.has(area(c.id.slice(name.length + 1))));
        expect(outside.length, outside.map((c) => c.id).join(', ')).toBeLessThan(others.length / 4);
        const summary = formatSummary(buildReport('conformance', new Date(), cases));
        expect(summary).toContain(`FAIL ${name}/${catches[0]}`);
      });
    }
  });
}

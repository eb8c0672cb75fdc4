// Conformance suite wall time per plugin (target: under 10 s each), beside a baseline measured in the
// same run: the same number of cases that only start and stop a fresh server (the harness's fixed cost).
import { defineCase } from '../src/netcore/conformance/case.js';
import { ALL_CASES } from '../src/netcore/conformance/cases/index.js';
import { runConformance } from '../src/netcore/conformance/runner.js';
import { registeredPlugins } from '../src/netcore/plugins/registry.js';

export default async function main(): Promise<void> {
  const noop = ALL_CASES.map((c) => defineCase({ id: `${c.id}.noop`, title: 'starts a fresh server', run: async () => {} }));
  await runConformance({ plugins: [{ name: 'sqlite' }], cases: noop.slice(0, 20) }); // warm up the JIT and module cache
  const baselineStarted = performance.now();
  await runConformance({ plugins: [{ name: 'sqlite' }], cases: noop });
  const baselineMs = performance.now() - baselineStarted;
  console.log(`baseline: ${noop.length} fresh servers, no requests      ${(baselineMs / 1000).toFixed(2).padStart(6)} s`);
  for (const name of registeredPlugins()) {
    const started = performance.now();
    const { groups } = await runConformance({ plugins: [{ name }] });
    const ms = performance.now() - started;
    const g = groups[0]!;
    console.log(
      `${name.padEnd(8)} ${String(g.passed).padStart(3)} passed ${String(g.failed).padStart(2)} failed ${String(g.skipped).padStart(2)} skipped` +
        `  ${(ms / 1000).toFixed(2).padStart(6)} s  (target < 10 s)  ${(ms / g.passed).toFixed(1)} ms/case  ratio to baseline ${(ms / baselineMs).toFixed(2)}x`,
    );
    if (g.failed > 0) throw new Error(`plugin ${name} fails ${g.failed} conformance cases`);
  }
}

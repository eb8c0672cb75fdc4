// `npm run fit:triage`: refits the built-in starter score on the corpus's design part and writes src/triage/lhf-model.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/paths.js';
import { builtinModule, fitBuiltinLhf } from './support/fit-builtin.js';

const table = fitBuiltinLhf();
const file = join(packageRoot(), 'src', 'triage', 'lhf-model.ts');
writeFileSync(file, builtinModule(table));
const cv = table.provenance.cv;
console.log(`wrote ${file}: lambda ${table.provenance.fit.lambda}, starter at >= ${table.threshold} (CV precision ${cv.precision}, recall ${cv.recall}), maybe from ${table.maybeThreshold} (CV precision ${cv.maybePrecision}, recall ${cv.maybeRecall})`);

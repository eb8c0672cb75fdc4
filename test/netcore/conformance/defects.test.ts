import { defectTests } from './defect-check.js';
import { DEFECTS, type Defect } from './defective-plugin.js';

// The core API's defects; the services' run beside, in services-defects.test.ts.
defectTests((d: Defect) => !DEFECTS[d].catches.every((id: string) => id.startsWith('services.')));

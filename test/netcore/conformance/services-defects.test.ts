import { defectTests } from './defect-check.js';
import { DEFECTS, type Defect } from './defective-plugin.js';

// The services' defects (L3, security groups, LBaaS, quotas); the core API's are in defects.test.ts.
defectTests((d: Defect) => DEFECTS[d].catches.every((id: string) => id.startsWith('services.')));

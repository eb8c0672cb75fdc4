import type { NetcoreConfigInput } from '../config.js';
import type { Location } from '../report.js';
import type { Harness } from './harness.js';
import { callerLocation } from './location.js';

/** One behavioural case of the conformance suite. */
export interface ConformanceCase {
  /** Stable id, `<category>.<subject>.<behaviour>`; the report prefixes it with the plugin name. */
  id: string;
  title: string;
  /** Extension aliases the plugin must declare for the case to run; otherwise it is skipped. */
  needs: string[];
  /** Settings this case needs on top of the defaults (e.g. tiny segment ranges to reach exhaustion). */
  config?: NetcoreConfigInput;
  /** Where the case is defined (repo-relative), for pull-request annotations. */
  location?: Location;
  run(t: Harness): Promise<void>;
}

export type CaseDefinition = Omit<ConformanceCase, 'needs' | 'location'> & { needs?: string[] };

/** Defines a case and records the file and line of the call, so a failure can be annotated there. */
export function defineCase(def: CaseDefinition): ConformanceCase {
  return { ...def, needs: def.needs ?? [], location: callerLocation(def.id) };
}

import type { Migration } from '../migration.js';
import { folsomCore } from './folsom_core.js';
import { folsomL3 } from './folsom_l3.js';
import { grizzlyLbaas } from './grizzly_lbaas.js';
import { grizzlySecurityGroups } from './grizzly_securitygroups.js';
import { havanaLbaasSessionPersistence } from './havana_lbaas_session_persistence.js';
import { havanaJournal } from './havana_journal.js';
import { havanaRouterPorts } from './havana_router_ports.js';
import { icehouseIpv6Modes } from './icehouse_ipv6_modes.js';
import { icehouseJournalServices } from './icehouse_journal_services.js';
import { icehouseL3Extensions } from './icehouse_l3_extensions.js';
import { icehouseQuotas } from './icehouse_quotas.js';
import { icehouseSecurityGroupExtensions } from './icehouse_security_group_extensions.js';

/** The whole schema history, oldest first. Append only: never reorder or edit a released step. */
export const MIGRATIONS: Migration[] = [
  folsomCore,
  folsomL3,
  grizzlySecurityGroups,
  grizzlyLbaas,
  havanaLbaasSessionPersistence,
  havanaRouterPorts,
  havanaJournal,
  icehouseIpv6Modes,
  icehouseL3Extensions,
  icehouseJournalServices,
  icehouseSecurityGroupExtensions,
  icehouseQuotas,
];

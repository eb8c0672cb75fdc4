import type { Room } from '../core/room.js';
import { registerAgendaCommands } from './commands.js';
import { registerAgendaJobs } from './jobs.js';
import { agendaMigrations } from './schema.js';

/** Agenda: the weekly meeting's agenda, gathered in one GraphQL query, posted ahead, edited, frozen and carried forward. */
export const agendaRoom: Room = {
  name: 'agenda',
  migrations: agendaMigrations,
  register(_app, services) {
    registerAgendaCommands(services);
    registerAgendaJobs(services);
  },
};

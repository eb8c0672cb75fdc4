import type { Room } from '../core/room.js';

/** Agenda: the weekly meeting's agenda, built and posted. Not built yet. */
export const agendaRoom: Room = {
  name: 'agenda',
  migrations: [],
  register() {},
};

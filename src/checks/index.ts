import type { Room } from '../core/room.js';

/** Checks: the conformance suite and the migration tests on pull requests, as check runs. Not built yet. */
export const checksRoom: Room = {
  name: 'checks',
  migrations: [],
  register() {},
};

import type { Db } from '../../db/connection.js';
import type { NetcoreConfig } from '../../config.js';
import type { IpamStore } from '../../ipam/store.js';
import type { SegmentAllocator } from '../../segments/allocator.js';

/** What the reference plugin's parts share. */
export interface Core {
  db: Db;
  config: NetcoreConfig;
  ipam: IpamStore;
  segments: SegmentAllocator;
}

import { randomUUID } from 'node:crypto';
import type { Db } from '../db/connection.js';
import type { AllocationPool } from '../plugins/plugin.js';
import { bigToIp, fromKey, ipToBig, toKey, type IpVersion } from './address.js';
import type { Range } from './pools.js';

interface RangeRow {
  allocation_pool_id: string;
  first_key: string;
  last_key: string;
}

/**
 * Free addresses of each subnet's allocation pools, kept as disjoint ranges
 * (ipavailabilityranges). Taking the lowest free address or a given one, and giving one back,
 * touch O(1) rows through an index: the cost does not depend on subnet size or allocations.
 * Callers run inside the API call's write transaction.
 */
export class IpamStore {
  private readonly q;

  constructor(private readonly db: Db) {
    this.q = {
      insertPool: db.prepare('INSERT INTO ipallocationpools (id, subnet_id, first_ip, last_ip) VALUES (?, ?, ?, ?)'),
      pools: db.prepare('SELECT id, first_ip, last_ip FROM ipallocationpools WHERE subnet_id = ? ORDER BY rowid'),
      deletePools: db.prepare('DELETE FROM ipallocationpools WHERE subnet_id = ?'),
      insertRange: db.prepare('INSERT INTO ipavailabilityranges (allocation_pool_id, subnet_id, first_key, last_key) VALUES (?, ?, ?, ?)'),
      lowest: db.prepare('SELECT allocation_pool_id, first_key, last_key FROM ipavailabilityranges WHERE subnet_id = ? ORDER BY first_key LIMIT 1'),
      containing: db.prepare(
        'SELECT allocation_pool_id, first_key, last_key FROM ipavailabilityranges WHERE subnet_id = ? AND first_key <= ? ORDER BY first_key DESC LIMIT 1',
      ),
      endingAt: db.prepare('SELECT allocation_pool_id, first_key, last_key FROM ipavailabilityranges WHERE subnet_id = ? AND last_key = ?'),
      startingAt: db.prepare('SELECT allocation_pool_id, first_key, last_key FROM ipavailabilityranges WHERE subnet_id = ? AND first_key = ?'),
      setFirst: db.prepare('UPDATE ipavailabilityranges SET first_key = ? WHERE subnet_id = ? AND first_key = ?'),
      setLast: db.prepare('UPDATE ipavailabilityranges SET last_key = ? WHERE subnet_id = ? AND first_key = ?'),
      deleteRange: db.prepare('DELETE FROM ipavailabilityranges WHERE subnet_id = ? AND first_key = ?'),
      allocated: db.prepare('SELECT ip_address FROM ipallocations WHERE subnet_id = ?'),
    };
  }

  /** Replaces the subnet's pools; free ranges are the pools minus what is already allocated. */
  setPools(subnetId: string, version: IpVersion, pools: Range[]): void {
    this.q.deletePools.run(subnetId);
    const used = (this.q.allocated.all(subnetId) as { ip_address: string }[]).map((r) => ipToBig(r.ip_address)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const pool of pools) {
      const poolId = randomUUID();
      this.q.insertPool.run(poolId, subnetId, bigToIp(pool.first, version), bigToIp(pool.last, version));
      let next = pool.first;
      for (const ip of used) {
        if (ip < next || ip > pool.last) continue;
        if (ip > next) this.q.insertRange.run(poolId, subnetId, toKey(next), toKey(ip - 1n));
        next = ip + 1n;
      }
      if (next <= pool.last) this.q.insertRange.run(poolId, subnetId, toKey(next), toKey(pool.last));
    }
  }

  pools(subnetId: string): AllocationPool[] {
    return (this.q.pools.all(subnetId) as { first_ip: string; last_ip: string }[]).map((p) => ({ start: p.first_ip, end: p.last_ip }));
  }

  /** Takes the lowest free address of the subnet's pools, or undefined when they are full. */
  allocateAny(subnetId: string, version: IpVersion): string | undefined {
    const row = this.q.lowest.get(subnetId) as RangeRow | undefined;
    if (!row) return undefined;
    const ip = fromKey(row.first_key);
    this.carve(subnetId, row, ip);
    return bigToIp(ip, version);
  }

  /**
   * Takes a given address out of the free ranges. Returns false when it is in no free range: either
   * allocated already or outside the pools (the caller checks ipallocations for the former).
   */
  take(subnetId: string, ip: string): boolean {
    const n = ipToBig(ip);
    const row = this.q.containing.get(subnetId, toKey(n)) as RangeRow | undefined;
    if (!row || fromKey(row.last_key) < n) return false;
    this.carve(subnetId, row, n);
    return true;
  }

  /** Gives an address back to its pool, merging with the neighbouring free ranges. */
  release(subnetId: string, ip: string): void {
    const n = ipToBig(ip);
    const pool = (this.q.pools.all(subnetId) as { id: string; first_ip: string; last_ip: string }[]).find(
      (p) => ipToBig(p.first_ip) <= n && n <= ipToBig(p.last_ip),
    );
    if (!pool) return;
    const inside = this.q.containing.get(subnetId, toKey(n)) as RangeRow | undefined;
    if (inside && fromKey(inside.last_key) >= n) return; // already free
    const left = this.q.endingAt.get(subnetId, toKey(n - 1n)) as RangeRow | undefined;
    const right = this.q.startingAt.get(subnetId, toKey(n + 1n)) as RangeRow | undefined;
    const mergeLeft = left && left.allocation_pool_id === pool.id;
    const mergeRight = right && right.allocation_pool_id === pool.id;
    if (mergeLeft && mergeRight) {
      this.q.deleteRange.run(subnetId, right.first_key);
      this.q.setLast.run(right.last_key, subnetId, left.first_key);
    } else if (mergeLeft) {
      this.q.setLast.run(toKey(n), subnetId, left.first_key);
    } else if (mergeRight) {
      this.q.setFirst.run(toKey(n), subnetId, right.first_key);
    } else {
      this.q.insertRange.run(pool.id, subnetId, toKey(n), toKey(n));
    }
  }

  /** Free ranges of a subnet (for tests and diagnostics). */
  freeRanges(subnetId: string): Range[] {
    return (this.db.prepare('SELECT first_key, last_key FROM ipavailabilityranges WHERE subnet_id = ? ORDER BY first_key').all(subnetId) as RangeRow[]).map(
      (r) => ({ first: fromKey(r.first_key), last: fromKey(r.last_key) }),
    );
  }

  private carve(subnetId: string, row: RangeRow, ip: bigint): void {
    const first = fromKey(row.first_key);
    const last = fromKey(row.last_key);
    if (first === last) this.q.deleteRange.run(subnetId, row.first_key);
    else if (ip === first) this.q.setFirst.run(toKey(ip + 1n), subnetId, row.first_key);
    else if (ip === last) this.q.setLast.run(toKey(ip - 1n), subnetId, row.first_key);
    else {
      this.q.setLast.run(toKey(ip - 1n), subnetId, row.first_key);
      this.q.insertRange.run(row.allocation_pool_id, subnetId, toKey(ip + 1n), row.last_key);
    }
  }
}

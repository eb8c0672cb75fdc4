/**
 * The quotas the netcore benchmarks run with: raised as ../shared/neutron/neutron.conf raises Neutron's for the
 * same benchmarks (networks and subnets 10,000, ports 100,000), so both servers still count usage on every
 * create and neither refuses the benchmark's ports.
 */
export const BENCH_QUOTAS = { network: 10_000, subnet: 10_000, port: 100_000 } as const;

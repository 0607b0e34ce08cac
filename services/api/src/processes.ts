import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * CPUs this process may use: the cgroup v2 CPU quota when one is set (a Kubernetes CPU limit, `docker run
 * --cpus`, Compose `cpus:`), rounded up, else the CPUs the scheduler allows (`os.availableParallelism()`,
 * which honours affinity but not quotas: a pod limited to 2 CPUs on a 32-core node sees 32 there).
 */
export function cpuBudget(cpuMax = readCpuMax()): number {
  const cpus = availableParallelism();
  const [quota, period] = (cpuMax ?? '').trim().split(/\s+/);
  const q = Number(quota);
  const p = Number(period);
  if (quota === 'max' || !Number.isFinite(q) || !Number.isFinite(p) || q <= 0 || p <= 0) return cpus;
  return Math.max(1, Math.min(cpus, Math.ceil(q / p)));
}

function readCpuMax(): string | undefined {
  try {
    return readFileSync('/sys/fs/cgroup/cpu.max', 'utf8');
  } catch {
    return undefined;
  }
}

/** `API_PROCESSES`: a count, or `auto` for one process per CPU of the budget above. */
export function resolveProcesses(setting: number | 'auto', budget = cpuBudget): number {
  return setting === 'auto' ? budget() : setting;
}

import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { poolPerProcess } from './cluster.js';
import { cpuBudget, resolveProcesses } from './processes.js';

describe('cpuBudget', () => {
  const cpus = availableParallelism();

  it('is the schedulable CPUs without a quota', () => {
    expect(cpuBudget('max 100000\n')).toBe(cpus);
    expect(cpuBudget(undefined)).toBe(cpus);
  });

  it('rounds a cgroup quota up and never exceeds the CPUs there are', () => {
    expect(cpuBudget('50000 100000')).toBe(1);
    expect(cpuBudget('150000 100000')).toBe(Math.min(2, cpus));
    expect(cpuBudget(`${(cpus + 8) * 100000} 100000`)).toBe(cpus);
  });

  it('ignores a malformed cpu.max', () => {
    expect(cpuBudget('')).toBe(cpus);
    expect(cpuBudget('garbage here')).toBe(cpus);
    expect(cpuBudget('0 100000')).toBe(cpus);
    expect(cpuBudget('-5 0')).toBe(cpus);
  });
});

describe('resolveProcesses', () => {
  it('takes a count as given and auto from the budget', () => {
    expect(resolveProcesses(3, () => 7)).toBe(3);
    expect(resolveProcesses('auto', () => 7)).toBe(7);
  });
});

describe('poolPerProcess', () => {
  it('splits one replica’s 10 connections between its processes, at least 2 each', () => {
    expect(poolPerProcess(1)).toBe(10);
    expect(poolPerProcess(2)).toBe(5);
    expect(poolPerProcess(3)).toBe(4);
    expect(poolPerProcess(8)).toBe(2);
    expect(poolPerProcess(64)).toBe(2);
  });
});

import { type ChildProcess, spawn } from 'node:child_process';
import { pipeLines } from './log-lines.js';

export interface ServiceSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Runs the app processes, each in its own process group (so watchers' grandchildren are signalled too), and
 * stops them all within a deadline: SIGTERM to every group, then SIGKILL to what is left.
 */
export class Supervisor {
  private readonly children = new Map<string, ChildProcess>();

  start(spec: ServiceSpec, onExit?: (code: number | null) => void): ChildProcess {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    pipeLines(spec.name, child.stdout);
    pipeLines(spec.name, child.stderr);
    this.children.set(spec.name, child);
    child.once('exit', (code) => {
      this.children.delete(spec.name);
      onExit?.(code);
    });
    return child;
  }

  get running(): string[] {
    return [...this.children.keys()];
  }

  async stopAll(deadlineMs: number): Promise<string[]> {
    const pending = [...this.children.values()];
    const exited = pending.map(
      (child) =>
        new Promise<void>((resolve) =>
          child.exitCode !== null ? resolve() : child.once('exit', () => resolve()),
        ),
    );
    for (const child of pending) signalGroup(child, 'SIGTERM');
    const timedOut = await Promise.race([
      Promise.all(exited).then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), deadlineMs)),
    ]);
    const killed: string[] = [];
    if (timedOut) {
      for (const [name, child] of this.children) {
        killed.push(name);
        signalGroup(child, 'SIGKILL');
      }
      await Promise.race([Promise.all(exited), new Promise((r) => setTimeout(r, 500))]);
    }
    // Even when the leader exited, a watcher's grandchild may linger in the group: sweep it.
    for (const child of pending) signalGroup(child, 'SIGKILL');
    return killed;
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // group already gone
  }
}

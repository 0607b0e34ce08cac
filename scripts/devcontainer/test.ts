/**
 * `npm run test:devcontainer`: the dev container proven by the program its users run, @devcontainers/cli
 * (the code behind VS Code's "Reopen in Container", Codespaces and devcontainers/ci), against the local
 * Docker engine, with no image registry.
 *
 * For each of .devcontainer/devcontainer.json (privileged, its own Docker engine) and
 * .devcontainer/ci/devcontainer.json (unprivileged, for CI jobs):
 *   1. `devcontainer up` as an ordinary host user (uid 1234 in the docker group when run as root, else the
 *      calling user) on a copy of the workspace that user owns. The configuration is the committed one;
 *      the only override (--override-config, scripts/devcontainer/override.ts) is two build arguments:
 *      the local base image stand-in and tool downloads off. The lifecycle commands run; a failing one
 *      makes `up` fail, and with it the suite.
 *   2. `devcontainer exec` as the remote user: `id -u` is the host user's uid and a file created in the
 *      workspace belongs to that uid on the host (updateRemoteUserUID); the toolchain check
 *      (.devcontainer/scripts/check-toolchain.sh); the container's Docker engine answers in the
 *      privileged configuration and is absent in the unprivileged one.
 *   3. In the first: `npm run lint` and `npm test` (the workspace has nothing beside it), with the counts
 *      of the corpus and schema test files printed.
 * Then the containers, their image tags and volumes are removed. One summary line at the end.
 *
 * Environment: OSINT_DEVCONTAINER_BASE_IMAGE  base image (default: the local stand-in NODE_IMAGE_LOCAL,
 *              built by scripts/containers/build-base-images.sh when absent);
 *              OSINT_DEVCONTAINER_TOOLS=1  download the pinned tools (needs GitHub and dl.k8s.io);
 *              OSINT_DEVCONTAINER_KEEP=1  leave containers, images and the workspace copy for inspection.
 */
import { type SpawnOptions, spawn, spawnSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusTestFiles, countsFromJunit, failedTests } from './counts.js';
import { DEVCONTAINER_CONFIGS, overrideDifferences, readConfig, suiteOverride } from './override.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DOCKER = '/usr/bin/docker';
const TEST_UID = 1234;
const TEST_USER = 'osint-devcontainer';
const cli = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@devcontainers/cli/package.json')),
  'devcontainer.js',
);
const started = Date.now();
const say = (msg: string) => console.log(`[devcontainer] ${msg}`);

class Failure extends Error {}
const fail = (msg: string): never => {
  throw new Failure(msg);
};

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Commands in flight: killed when the suite itself is stopped (Ctrl-C, .ci/run's time limit). */
const running = new Set<ReturnType<typeof spawn>>();

/** Runs a command, streaming its output (prefixed) while keeping it; kills it after `timeoutMs`. */
function run(
  cmd: string,
  args: string[],
  opts: SpawnOptions & { timeoutMs: number; quiet?: boolean },
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    const relay = (chunk: Buffer, sink: 'out' | 'err') => {
      const text = chunk.toString();
      if (sink === 'out') stdout += text;
      else stderr += text;
      if (!opts.quiet) process.stdout.write(text.replace(/^(?=.)/gm, '  | '));
    };
    child.stdout?.on('data', (c: Buffer) => relay(c, 'out'));
    child.stderr?.on('data', (c: Buffer) => relay(c, 'err'));
    const timer = setTimeout(() => {
      say(`timed out after ${opts.timeoutMs / 1000}s: ${cmd} ${args.join(' ')}`);
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.on('close', (code) => {
      running.delete(child);
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const docker = (...args: string[]) => spawnSync(DOCKER, args, { encoding: 'utf8' });

/**
 * The host user the CLI runs as: uid 1234 in the docker group when we are root, else ourselves. `created`:
 * this run added the account (and its home), so the clean-up removes it again.
 */
function hostUser(): { name: string; uid: number; gid: number; home: string; created: boolean } {
  const self = process.getuid?.() ?? 0;
  if (self !== 0) {
    const home = process.env.HOME ?? '/tmp';
    return {
      name: process.env.USER ?? String(self),
      uid: self,
      gid: process.getgid?.() ?? self,
      home,
      created: false,
    };
  }
  const existing = spawnSync('getent', ['passwd', String(TEST_UID)], { encoding: 'utf8' }).stdout.trim();
  if (!existing) {
    const made = spawnSync(
      'useradd',
      ['--uid', String(TEST_UID), '--user-group', '--create-home', '--groups', 'docker', TEST_USER],
      {
        encoding: 'utf8',
      },
    );
    if (made.status !== 0) fail(`useradd ${TEST_USER} (uid ${TEST_UID}) failed: ${made.stderr}`);
  }
  const [name, , , gid, , home] = spawnSync('getent', ['passwd', String(TEST_UID)], { encoding: 'utf8' })
    .stdout.trim()
    .split(':');
  spawnSync('usermod', ['--append', '--groups', 'docker', name as string]);
  return { name: name as string, uid: TEST_UID, gid: Number(gid), home: home as string, created: !existing };
}

/**
 * The workspace as a user has it, owned by `uid`: a git clone of this repository at HEAD (tests read
 * `git ls-files`), with the working tree's uncommitted state on top (modified and untracked-but-not-
 * ignored files copied, deleted ones removed).
 */
function copyWorkspace(dest: string, uid: number, gid: number): void {
  const git = (args: string[], cwd = repo) => spawnSync('git', args, { cwd, encoding: 'utf8' });
  const head = git(['rev-parse', 'HEAD']).stdout.trim();
  const clone = git(['clone', '--quiet', '--no-checkout', '--no-hardlinks', repo, dest], '/');
  if (clone.status !== 0) fail(`git clone of the workspace failed: ${clone.stderr}`);
  const checkout = git(['checkout', '--quiet', '--detach', head], dest);
  if (checkout.status !== 0) fail(`git checkout ${head} in the copy failed: ${checkout.stderr}`);
  const list = (args: string[]) =>
    git(['ls-files', '-z', ...args])
      .stdout.split('\0')
      .filter(Boolean);
  const changed = list(['--modified', '--others', '--exclude-standard']).filter((f) =>
    existsSync(path.join(repo, f)),
  );
  if (changed.length > 0) {
    const tar = spawnSync(
      'bash',
      ['-c', 'tar -C "$1" --null -T - -cf - | tar -C "$2" -xf -', 'copy', repo, dest],
      { input: changed.join('\0'), encoding: 'utf8' },
    );
    if (tar.status !== 0) fail(`copying the working tree's changes failed: ${tar.stderr}`);
  }
  for (const f of list(['--deleted'])) rmSync(path.join(dest, f), { force: true });
  spawnSync('chown', ['-R', `${uid}:${gid}`, dest]);
}

function ensureBaseImage(): string {
  const env = readFileSync(path.join(repo, 'scripts/containers/base-images.env'), 'utf8');
  const local =
    /^NODE_IMAGE_LOCAL=(\S+)/m.exec(env)?.[1] ?? fail('NODE_IMAGE_LOCAL missing in base-images.env');
  const image = process.env.OSINT_DEVCONTAINER_BASE_IMAGE || local;
  if (image === local) {
    // Reuses the stand-in when its recipe is unchanged (seconds), builds it otherwise.
    const built = spawnSync(
      'bash',
      [path.join(repo, 'scripts/containers/build-base-images.sh'), '--only', 'node'],
      { stdio: 'inherit' },
    );
    if (built.status !== 0) fail('scripts/containers/build-base-images.sh --only node failed');
  }
  if (docker('image', 'inspect', image).status !== 0) fail(`base image ${image} is not in the engine`);
  return image;
}

interface UpResult {
  containerId: string;
  image: string;
  volumes: string[];
}

interface ContainerInspect {
  Config?: { Image?: string };
  Mounts?: { Type: string; Name: string }[];
}

function upResult(containerId: string, inspect: ContainerInspect | undefined): UpResult {
  return {
    containerId,
    image: inspect?.Config?.Image ?? '',
    volumes: (inspect?.Mounts ?? []).filter((m) => m.Type === 'volume').map((m) => m.Name),
  };
}

async function main(): Promise<string> {
  const engine = spawnSync('bash', [path.join(repo, 'scripts/containers/engine.sh')], { stdio: 'inherit' });
  if (engine.status !== 0) fail('no Docker engine (scripts/containers/engine.sh)');
  const baseImage = ensureBaseImage();
  const tools = process.env.OSINT_DEVCONTAINER_TOOLS === '1';
  const args = { NODE_IMAGE: baseImage, SKIP_TOOL_DOWNLOADS: tools ? '0' : '1' };

  const user = hostUser();
  const scratch = mkdtempSync('/var/tmp/osint-devcontainer-test-');
  chownSync(scratch, user.uid, user.gid);
  const workspace = path.join(scratch, 'osint-platform');
  copyWorkspace(workspace, user.uid, user.gid);
  say(
    `workspace clone ${workspace} owned by ${user.name} (uid ${user.uid}); base image ${baseImage}; tool downloads ${tools ? 'on' : 'off'}`,
  );

  const ups: UpResult[] = [];
  const failures: string[] = [];
  const figures: string[] = [];
  const asUser = (argv: string[]) =>
    process.getuid?.() === 0
      ? { cmd: 'runuser', argv: ['-u', user.name, '--', ...argv] }
      : { cmd: argv[0] as string, argv: argv.slice(1) };
  const devcontainer = (
    sub: string,
    config: string,
    override: string,
    extra: string[],
    timeoutMs: number,
    quiet = false,
  ) => {
    const c = asUser([
      process.execPath,
      cli,
      sub,
      '--workspace-folder',
      workspace,
      '--config',
      path.join(workspace, config),
      '--override-config',
      override,
      '--docker-path',
      DOCKER,
      ...extra,
    ]);
    return run(c.cmd, c.argv, { cwd: scratch, timeoutMs, quiet, env: { ...process.env, HOME: user.home } });
  };

  let cleaned = false;
  const cleanUp = () => {
    if (cleaned) return;
    cleaned = true;
    for (const child of running) child.kill('SIGKILL');
    if (process.env.OSINT_DEVCONTAINER_KEEP === '1') {
      say(`kept: containers ${ups.map((u) => u.containerId.slice(0, 12)).join(' ')}, workspace ${workspace}`);
      return;
    }
    // Containers of this run not yet in `ups` (an `up` interrupted half-way) are found by their label.
    const labelled = docker('ps', '-aq', '--filter', `label=devcontainer.local_folder=${workspace}`).stdout;
    for (const id of labelled.split('\n').filter(Boolean)) {
      const inspect = JSON.parse(docker('container', 'inspect', id).stdout || '[]')[0];
      if (!ups.some((u) => u.containerId.startsWith(id))) ups.push(upResult(id, inspect));
    }
    for (const u of ups) {
      docker('rm', '-f', '-v', u.containerId);
      for (const v of u.volumes) docker('volume', 'rm', '-f', v);
    }
    // The CLI's images: vsc-<folder>-<hash>[-features]-uid on top of vsc-<folder>-<hash>[-features].
    for (const image of new Set(ups.flatMap((u) => [u.image, u.image.replace(/-uid$/, '')])))
      if (image) docker('image', 'rm', '-f', image);
    rmSync(scratch, { recursive: true, force: true });
    // The account this run added, with its home: a machine that runs the suite keeps no test user.
    if (user.created) spawnSync('userdel', ['--remove', user.name], { encoding: 'utf8' });
    say(
      `removed ${ups.length} containers, their images and volumes, the workspace copy${user.created ? ` and the user ${user.name}` : ''}`,
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      say(`${signal}: stopping`);
      cleanUp();
      console.log(`test:devcontainer: FAILED (${signal}) in ${Math.round((Date.now() - started) / 1000)}s`);
      process.exit(1);
    });

  try {
    for (const [i, config] of DEVCONTAINER_CONFIGS.entries()) {
      const privileged = i === 0;
      const override = path.join(scratch, `override-${i}.json`);
      // What the CLI gets is the committed configuration but for the allowed build arguments (the same
      // check as tests/infra/devcontainer.test.ts, on the file actually passed).
      const overridden = suiteOverride(workspace, config, args);
      const differences = overrideDifferences(readConfig(path.join(workspace, config)), overridden);
      if (differences.length > 0)
        fail(`${config}: the override changes more than build.args: ${differences.join('; ')}`);
      say(`${config}: the override differs in build.args only (${Object.keys(args).join(', ')})`);
      writeFileSync(override, `${JSON.stringify(overridden, null, 2)}\n`);
      chownSync(override, user.uid, user.gid);
      // The second configuration is built with BuildKit (the 20.10 client's built-in one), the first
      // with the classic builder: the build context's .dockerignore must hold for both.
      const builder = privileged ? 'classic builder' : 'BuildKit';
      if (!privileged) process.env.DOCKER_BUILDKIT = '1';
      else process.env.DOCKER_BUILDKIT = '0';
      say(`devcontainer up ${config} (${builder})`);
      const t0 = Date.now();
      const up = await devcontainer('up', config, override, ['--log-format', 'text'], 40 * 60_000);
      const result = JSON.parse(up.stdout.trim().split('\n').pop() || '{}') as {
        outcome?: string;
        containerId?: string;
        message?: string;
      };
      if (result.containerId) {
        const inspect = JSON.parse(docker('container', 'inspect', result.containerId).stdout || '[]')[0];
        ups.push(upResult(result.containerId, inspect));
      }
      if (up.code !== 0 || result.outcome !== 'success')
        fail(
          `devcontainer up ${config} failed (exit ${up.code}, outcome ${result.outcome}): ${result.message ?? ''}`,
        );
      const upSeconds = Math.round((Date.now() - t0) / 1000);
      const log = up.stdout + up.stderr;
      // Every lifecycle command ran (the CLI says so before each; the scripts print their own lines).
      for (const hook of ['onCreateCommand', 'postCreateCommand', 'postStartCommand'])
        if (!log.includes(`Running the ${hook} from devcontainer.json`))
          fail(`${config}: the ${hook} did not run`);
      if (!/\bpost-create: /.test(log) || !/\bpost-create --start-only: /.test(log))
        fail(`${config}: post-create.sh did not report from both postCreateCommand and postStartCommand`);
      if (!existsSync(path.join(workspace, 'node_modules', '.package-lock.json')))
        fail(`${config}: onCreateCommand (npm ci) left no node_modules`);

      const exec = (command: string, timeoutMs = 5 * 60_000, quiet = false, extra: string[] = []) =>
        devcontainer('exec', config, override, [...extra, '--', 'bash', '-lc', command], timeoutMs, quiet);

      // updateRemoteUserUID: the remote user took the host user's uid, and files it creates are theirs.
      const idOut = await exec('id -u', 60_000, true);
      const innerUid = idOut.stdout.trim().split('\n').pop();
      const probe = `.devcontainer-uid-probe-${i}`;
      await exec(`touch ${probe}`, 60_000, true);
      const owner = existsSync(path.join(workspace, probe)) ? statSync(path.join(workspace, probe)).uid : -1;
      rmSync(path.join(workspace, probe), { force: true });
      const uidCheck = `host uid ${user.uid}: id -u inside ${innerUid}, file created inside owned by ${owner} on the host`;
      say(`uid check (${config}): ${uidCheck}`);
      if (innerUid !== String(user.uid) || owner !== user.uid)
        fail(`updateRemoteUserUID did not hold: ${uidCheck}`);

      const toolchain = await exec('.devcontainer/scripts/check-toolchain.sh', 2 * 60_000);
      if (toolchain.code !== 0) fail(`${config}: toolchain check failed`);
      const engineUp = (await exec('docker info >/dev/null 2>&1', 60_000, true)).code === 0;
      if (engineUp !== privileged)
        fail(
          `${config}: the container's Docker engine is ${engineUp ? 'running' : 'not running'} in a ${privileged ? 'privileged' : 'unprivileged'} container`,
        );

      const size = Number(
        docker('image', 'inspect', '--format', '{{.Size}}', ups.at(-1)?.image ?? '').stdout.trim(),
      );
      figures.push(
        `${config}: up ${upSeconds}s (${builder}), image ${(size / 1e9).toFixed(2)} GB, ${uidCheck}`,
      );

      if (privileged) {
        // The suite relies on `up` failing when a lifecycle command fails: shown on a throwaway
        // configuration (not the repository's) on the image just built, whose postCreateCommand fails.
        const probeDir = path.join(scratch, 'failing-lifecycle');
        mkdirSync(probeDir);
        writeFileSync(
          path.join(probeDir, '.devcontainer.json'),
          JSON.stringify({
            image: ups.at(-1)?.image,
            remoteUser: 'node',
            updateRemoteUserUID: false,
            postCreateCommand: 'echo failing on purpose; exit 3',
          }),
        );
        spawnSync('chown', ['-R', `${user.uid}:${user.gid}`, probeDir]);
        const c = asUser([
          process.execPath,
          cli,
          'up',
          '--workspace-folder',
          probeDir,
          '--docker-path',
          DOCKER,
        ]);
        const bad = await run(c.cmd, c.argv, {
          cwd: scratch,
          timeoutMs: 5 * 60_000,
          quiet: true,
          env: { ...process.env, HOME: user.home },
        });
        const badResult = JSON.parse(bad.stdout.trim().split('\n').pop() || '{}') as {
          outcome?: string;
          containerId?: string;
        };
        const leftover = docker('ps', '-aq', '--filter', `label=devcontainer.local_folder=${probeDir}`)
          .stdout.trim()
          .split('\n')
          .filter(Boolean);
        // The image's metadata label carries devcontainer.json's mounts, so the probe has its own
        // /var/lib/docker volume: removed with it (`rm -v` removes anonymous volumes only).
        for (const id of leftover) {
          const probe = upResult(id, JSON.parse(docker('container', 'inspect', id).stdout || '[]')[0]);
          docker('rm', '-f', '-v', id);
          for (const v of probe.volumes) docker('volume', 'rm', '-f', v);
        }
        say(`a failing postCreateCommand: devcontainer up exit ${bad.code}, outcome ${badResult.outcome}`);
        if (bad.code === 0 || badResult.outcome === 'success')
          fail('devcontainer up succeeded although a lifecycle command failed');

        // A failing lint or npm test fails the suite at the end, after the other configuration too.
        say('npm run lint (inside)');
        if ((await exec('npm run lint', 10 * 60_000)).code !== 0)
          failures.push('npm run lint failed in the dev container');
        say('npm test (inside; nothing beside the workspace)');
        // README's `npm test`, plus a JUnit report (arguments npm hands to `vitest run`) for the counts.
        const report = 'test-results/devcontainer-junit.xml';
        const junit = path.join(workspace, report);
        rmSync(junit, { force: true });
        const tests = await exec(
          `npm test -- --reporter=default --reporter=junit --outputFile.junit=${report}`,
          40 * 60_000,
        );
        const counts = existsSync(junit)
          ? countsFromJunit(readFileSync(junit, 'utf8'), corpusTestFiles(workspace))
          : ['no JUnit report'];
        for (const line of counts) say(`inside: ${line}`);
        if (existsSync(junit))
          for (const name of failedTests(readFileSync(junit, 'utf8'))) say(`inside: FAILED ${name}`);
        figures.push(`inside: ${counts.at(-1)}`);
        if (tests.code !== 0) failures.push('npm test failed in the dev container');
      }
    }
    if (failures.length > 0) fail(failures.join('; '));
  } finally {
    cleanUp();
  }
  return figures.join('; ');
}

main()
  .then((figures) => {
    console.log(`test:devcontainer: passed in ${Math.round((Date.now() - started) / 1000)}s; ${figures}`);
  })
  .catch((err: unknown) => {
    console.error(`[devcontainer] ${err instanceof Failure ? err.message : (err as Error).stack}`);
    console.log(`test:devcontainer: FAILED in ${Math.round((Date.now() - started) / 1000)}s`);
    process.exit(1);
  });

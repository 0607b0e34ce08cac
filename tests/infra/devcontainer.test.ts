/**
 * Proof for .devcontainer/ without VS Code or the devcontainer CLI: devcontainer.json validates against
 * the Dev Container JSON schema (shared corpus, draft 2019-09), the scripts it runs exist and are
 * executable, its forwarded ports are the conventions' and the Tiltfile's, every tool the image
 * downloads is pinned with a sha256, and install-tools.sh refuses an unverified checksum. Each check is
 * shown failing on a broken copy. The same holds for ci/devcontainer.json (the unprivileged
 * configuration CI jobs use), and the override `npm run test:devcontainer` passes to the CLI changes
 * nothing but build arguments. The image itself is built and run by that suite
 * (scripts/devcontainer/test.ts, with @devcontainers/cli), not here: that takes minutes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEVCONTAINER_CONFIGS,
  OVERRIDABLE_BUILD_ARGS,
  overrideConfig,
  overrideDifferences,
  readConfig,
  suiteOverride,
} from '../../scripts/devcontainer/override.js';
import {
  CI_DEVCONTAINER_JSON,
  contextErrors,
  DEVCONTAINER_DIR,
  DEVCONTAINER_JSON,
  type DevContainer,
  lifecycleCommands,
  parseEnvFile,
  parseJsonc,
  policyErrors,
  portErrors,
  readDevContainer,
  schemaErrors,
  schemaValidator,
  scriptErrors,
  stripJsonc,
  TOOL_VERSIONS,
  unverifiedChecksums,
  versionsErrors,
} from './support/devcontainer-checks.js';
import { repoRoot } from './support/k8s-render.js';
import { evaluateTiltfile } from './support/tilt-checks.js';

const doc = readDevContainer();
const conventions = readFileSync(path.join(repoRoot, 'docs', 'conventions.md'), 'utf8');
const dockerfile = readFileSync(path.join(DEVCONTAINER_DIR, 'Dockerfile'), 'utf8');
const versions = parseEnvFile(readFileSync(TOOL_VERSIONS, 'utf8'));
const validate = schemaValidator();
const scratch = mkdtempSync(path.join(tmpdir(), 'devcontainer-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const copy = (): DevContainer => structuredClone(doc);

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
if (!hasKubectl)
  console.warn(
    '[infra] SKIPPING the Tiltfile port check of tests/infra/devcontainer.test.ts: kubectl not found',
  );

describe('devcontainer.json', () => {
  it('is JSONC that parses (comments and trailing commas stripped outside strings)', () => {
    expect(doc.name).toBe('osint-platform');
    expect(parseJsonc('{ "a": "http://x//y", /* c */ "b": [1, 2,], // d\n }')).toEqual({
      a: 'http://x//y',
      b: [1, 2],
    });
    expect(stripJsonc('"a\\"//b"')).toBe('"a\\"//b"');
  });

  it('validates against the Dev Container JSON schema', () => {
    expect(schemaErrors(doc, validate)).toEqual([]);
    console.log('[corpus] devcontainer-schema: .devcontainer/devcontainer.json validates');
  });

  it('the schema rejects an unknown property (a typo) and a wrong type', () => {
    const typo = { ...copy(), forwardPort: [4000] };
    expect(schemaErrors(typo, validate).join('\n')).toMatch(/unevaluated properties 'forwardPort'/);
    const wrongType = copy();
    wrongType.hostRequirements = { ...wrongType.hostRequirements, cpus: 'four' as unknown as number };
    expect(schemaErrors(wrongType, validate).join('\n')).toMatch(/\/hostRequirements\/cpus: must be integer/);
    const badMemory = copy();
    badMemory.hostRequirements = { ...badMemory.hostRequirements, memory: '8 GB' };
    expect(schemaErrors(badMemory, validate).join('\n')).toMatch(
      /\/hostRequirements\/memory: must match pattern/,
    );
  });

  it('runs scripts that exist and are executable; the Dockerfile and context exist', () => {
    expect(scriptErrors(doc)).toEqual([]);
    const hooks = lifecycleCommands(doc).map((c) => `${c.hook}: ${c.argv.join(' ')}`);
    expect(hooks).toEqual(
      expect.arrayContaining([
        'onCreateCommand: npm ci',
        'postCreateCommand: .devcontainer/scripts/post-create.sh',
        'postStartCommand: .devcontainer/scripts/post-create.sh --start-only',
      ]),
    );
  });

  it('script check fires on a missing script and on a script without the executable bit', () => {
    const root = path.join(scratch, 'repo');
    mkdirSync(path.join(root, '.devcontainer', 'scripts'), { recursive: true });
    writeFileSync(path.join(root, '.devcontainer', 'Dockerfile'), 'FROM x\n');
    writeFileSync(path.join(root, '.devcontainer', 'scripts', 'post-create.sh'), '#!/bin/sh\n');
    chmodSync(path.join(root, '.devcontainer', 'scripts', 'post-create.sh'), 0o644);
    const broken = copy();
    broken.postAttachCommand = '.devcontainer/scripts/attach.sh';
    const errors = scriptErrors(broken, root).join('\n');
    expect(errors).toMatch(/postCreateCommand: \.devcontainer\/scripts\/post-create\.sh is not executable/);
    expect(errors).toMatch(/postAttachCommand: \.devcontainer\/scripts\/attach\.sh does not exist/);
  });

  it('forwards the Tilt UI and the ports of docs/conventions.md, labelled', () => {
    expect(portErrors(doc, conventions)).toEqual([]);
    expect(doc.forwardPorts).toEqual([10350, 4000, 4001, 5173]);
  });

  // Evaluating the Tiltfile renders its kustomizations with `kubectl kustomize` (tilt_eval.py, as Tilt
  // does without a kustomize binary): skipped with a message where kubectl is missing, like k8s.test.ts
  // (e.g. in a dev container image built with tool downloads off).
  it.skipIf(!hasKubectl)('the ports it forwards are the ones the Tiltfile forwards', () => {
    const tilt = evaluateTiltfile();
    const tiltPorts = tilt.k8s_resources.flatMap((r) => r.port_forwards.map((p) => p.local_port));
    expect(portErrors(doc, conventions, tiltPorts)).toEqual([]);
  });

  it('port check fires when a forwarded port drifts from the conventions', () => {
    const broken = copy();
    broken.forwardPorts = [10350, 4000, 4001, 5174];
    const errors = portErrors(broken, conventions).join('\n');
    expect(errors).toMatch(/forwardPorts lacks 5173/);
    expect(errors).toMatch(/forwardPorts has 5174/);
    expect(errors).toMatch(/portsAttributes\["5174"\] has no label/);
    expect(portErrors(doc, conventions, [4000, 4001]).join('\n')).toMatch(
      /the Tiltfile does not forward 5173/,
    );
  });

  it('follows the house rules: non-root user with UID sync, its own Docker engine, extensions, host requirements', () => {
    expect(policyErrors(doc, dockerfile)).toEqual([]);
  });

  it('policy check fires on root, no UID sync, a feature, no privileges and a Dockerfile that downloads', () => {
    const broken = copy();
    broken.remoteUser = 'root';
    broken.updateRemoteUserUID = false;
    broken.features = { 'ghcr.io/devcontainers/features/docker-in-docker:2': {} };
    broken.privileged = false;
    broken.mounts = [];
    const errors = policyErrors(
      broken,
      `${dockerfile}\nRUN curl -fsSL https://example.invalid/tool -o /usr/local/bin/tool\n`,
    );
    expect(errors.join('\n')).toMatch(/remoteUser must be a non-root user/);
    expect(errors.join('\n')).toMatch(/updateRemoteUserUID must be true/);
    expect(errors.join('\n')).toMatch(
      /feature ghcr\.io\/devcontainers\/features\/docker-in-docker:2: features are fetched/,
    );
    expect(errors.join('\n')).toMatch(/privileged must be true/);
    expect(errors.join('\n')).toMatch(/no volume mounted on \/var\/lib\/docker/);
    expect(errors.join('\n')).toMatch(/Dockerfile downloads something itself/);
  });

  it('the build context is .devcontainer/ in both configurations, and its .dockerignore admits what the Dockerfile copies', () => {
    for (const file of [DEVCONTAINER_JSON, CI_DEVCONTAINER_JSON]) {
      const config = readDevContainer(file);
      const dir = path.dirname(file);
      expect(path.resolve(dir, config.build?.context ?? '.')).toBe(DEVCONTAINER_DIR);
      expect(path.resolve(dir, config.build?.dockerfile ?? '')).toBe(
        path.join(DEVCONTAINER_DIR, 'Dockerfile'),
      );
    }
    const ignore = readFileSync(path.join(DEVCONTAINER_DIR, '.dockerignore'), 'utf8');
    const dockerfileIgnore = existsSync(path.join(DEVCONTAINER_DIR, 'Dockerfile.dockerignore'));
    expect(contextErrors(dockerfile, ignore, dockerfileIgnore)).toEqual([]);
    const errors = contextErrors(`${dockerfile}\nCOPY package.json /tmp/\n`, ignore, true).join('\n');
    expect(errors).toMatch(/COPY package\.json: not allowed/);
    expect(errors).toMatch(/Dockerfile\.dockerignore exists/);
  });
});

describe('ci/devcontainer.json (CI jobs: the same image, unprivileged)', () => {
  const ci = readDevContainer(CI_DEVCONTAINER_JSON);

  it.runIf(validate)('validates against the Dev Container JSON schema', () => {
    expect(schemaErrors(ci, validate!)).toEqual([]);
  });

  it('builds the same image as devcontainer.json, with the same user and lifecycle, and no privileges', () => {
    expect(ci.build?.args).toEqual(doc.build?.args);
    expect(scriptErrors(ci, repoRoot, path.dirname(CI_DEVCONTAINER_JSON))).toEqual([]);
    for (const key of [
      'remoteUser',
      'updateRemoteUserUID',
      'onCreateCommand',
      'postCreateCommand',
      'postStartCommand',
    ])
      expect(ci[key], key).toEqual(doc[key]);
    expect(ci.privileged).toBeUndefined();
    expect(ci.mounts).toBeUndefined();
    expect(ci.features).toBeUndefined();
  });
});

describe('the override npm run test:devcontainer passes to the CLI', () => {
  const args = { NODE_IMAGE: 'osint-base/node:26-bookworm', SKIP_TOOL_DOWNLOADS: '1' };

  it('differs from each committed configuration in build.args only (base image and tool downloads)', () => {
    expect(DEVCONTAINER_CONFIGS.map((c) => path.resolve(repoRoot, c))).toEqual([
      DEVCONTAINER_JSON,
      CI_DEVCONTAINER_JSON,
    ]);
    for (const config of DEVCONTAINER_CONFIGS) {
      const original = readConfig(path.join(repoRoot, config));
      const override = suiteOverride(repoRoot, config, args);
      expect(overrideDifferences(original, override), config).toEqual([]);
      const { build: ob, ...orest } = original;
      const { build: vb, ...vrest } = override;
      expect(vrest).toEqual(orest);
      const { args: oa, ...obRest } = ob as Record<string, unknown>;
      const { args: va, ...vbRest } = vb as Record<string, unknown>;
      expect(vbRest).toEqual(obRest);
      expect(va).toEqual({ ...(oa as object), ...args });
      expect(Object.keys(args).every((k) => (OVERRIDABLE_BUILD_ARGS as readonly string[]).includes(k))).toBe(
        true,
      );
    }
  });

  it('the check fires on any other change: a setting, a lifecycle command, another build argument', () => {
    const original = readConfig(DEVCONTAINER_JSON);
    const changed = overrideConfig(original, args);
    changed.privileged = false;
    changed.postCreateCommand = 'true';
    (changed.build as Record<string, Record<string, string>>).args!.TOOL_SHA256_OVERRIDES =
      'KIND_SHA256_arm64=x';
    expect(overrideDifferences(original, changed)).toEqual([
      '/build/args/TOOL_SHA256_OVERRIDES: build argument TOOL_SHA256_OVERRIDES is not one the suite may override',
      '/privileged: differs',
      '/postCreateCommand: differs',
    ]);
  });
});

describe('tool-versions.env (the one place tool versions and checksums live)', () => {
  it('pins every downloaded tool with a version, a URL template and a sha256 per architecture', () => {
    expect(versionsErrors(versions)).toEqual([]);
    const unverified = unverifiedChecksums(versions);
    if (unverified.length > 0) {
      console.warn(
        `tool-versions.env: checksums not yet verified (the image build fails for these until they are): ${unverified.join('; ')}`,
      );
    }
    // Only an explicit marker may stand in for a checksum, and never for the default architecture.
    expect(unverified.filter((u) => u.endsWith('linux/amd64'))).toEqual([]);
  });

  it('fires on a tool without a checksum, a malformed checksum and an unpinned version', () => {
    const broken = { ...versions };
    delete broken.K6_SHA256_arm64;
    broken.TILT_SHA256_amd64 = 'deadbeef';
    broken.KIND_VERSION = 'latest';
    const errors = versionsErrors(broken).join('\n');
    expect(errors).toMatch(/K6_SHA256_arm64 is missing/);
    expect(errors).toMatch(/TILT_SHA256_amd64 is not a sha256/);
    expect(errors).toMatch(/KIND_VERSION must be a pinned x\.y\.z/);
  });

  const installer = path.join(DEVCONTAINER_DIR, 'scripts', 'install-tools.sh');
  const arch = execFileSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).trim();
  const runInstaller = (env: Record<string, string>, versionsFile: string) =>
    spawnSync('bash', [installer, versionsFile, path.join(scratch, 'bin')], {
      encoding: 'utf8',
      env: { ...process.env, OSINT_DEVCONTAINER_MARKER_DIR: path.join(scratch, 'marker'), ...env },
    });

  it('install-tools.sh refuses a TODO-verify checksum before downloading anything', () => {
    const file = path.join(scratch, 'unverified.env');
    const text = readFileSync(TOOL_VERSIONS, 'utf8').replace(
      new RegExp(`^TILT_SHA256_${arch}=.*$`, 'm'),
      `TILT_SHA256_${arch}=TODO-verify`,
    );
    writeFileSync(file, text);
    const run = runInstaller({ SKIP_TOOL_DOWNLOADS: '0' }, file);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(new RegExp(`tilt .* linux/${arch}: checksum is TODO-verify`));
    expect(run.stderr).toMatch(/nothing was downloaded/);
    expect(run.stdout).not.toMatch(/<- https/);
  });

  it('install-tools.sh with SKIP_TOOL_DOWNLOADS=1 downloads nothing and leaves a marker saying so', () => {
    const run = runInstaller({ SKIP_TOOL_DOWNLOADS: '1' }, TOOL_VERSIONS);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/SKIP_TOOL_DOWNLOADS=1 — downloaded nothing/);
    expect(readFileSync(path.join(scratch, 'marker', 'tools-skipped'), 'utf8')).toMatch(
      /Never|Rebuild without the flag/,
    );
  });

  it('install-tools.sh rejects a malformed checksum even when downloads are skipped (reported, not fatal)', () => {
    const file = path.join(scratch, 'malformed.env');
    writeFileSync(
      file,
      readFileSync(TOOL_VERSIONS, 'utf8').replace(/^K6_SHA256_amd64=.*$/m, 'K6_SHA256_amd64=abc'),
    );
    const skipped = runInstaller({ SKIP_TOOL_DOWNLOADS: '1' }, file);
    expect(skipped.stderr).toMatch(/\(would fail\) K6_SHA256_amd64 is not a sha256/);
    const real = runInstaller({ SKIP_TOOL_DOWNLOADS: '0' }, file);
    expect(real.status).not.toBe(0);
    expect(real.stderr).toMatch(/K6_SHA256_amd64 is not a sha256/);
  });

  /**
   * Fake releases on file:// URLs (curl reads them like https): for each tool a stand-in executable that
   * prints its pinned version, packed as the real release is (tar.gz with the same member path, or a bare
   * binary), and the release's published checksum file in its real format. Returns a versions file whose
   * URLs point there and whose checksums for this machine's architecture are the stand-ins' real ones.
   */
  function fakeReleases(name: string, publish: (tool: string, sum: string) => string = (_t, sum) => sum) {
    const dir = path.join(scratch, name);
    mkdirSync(dir, { recursive: true });
    let text = readFileSync(TOOL_VERSIONS, 'utf8');
    const fill = (t: string, version: string, archName: string) =>
      t.replaceAll('{version}', version).replaceAll('{arch}', archName);
    for (const tool of (versions.TOOLS ?? '').split(/\s+/).filter(Boolean)) {
      const up = tool.toUpperCase();
      const version = versions[`${up}_VERSION`] ?? '';
      const archName = versions[`${up}_ARCH_${arch}`] ?? '';
      const url = fill(versions[`${up}_URL`] ?? '', version, archName);
      const sumsUrl = fill(versions[`${up}_CHECKSUMS_URL`] ?? '', version, archName);
      // One directory per tool: tilt and ctlptl both publish a checksums.txt.
      const home = path.join(dir, tool);
      mkdirSync(home, { recursive: true });
      const file = path.join(home, path.basename(url));
      const member = fill(versions[`${up}_MEMBER`] ?? '', version, archName);
      const script = `#!/bin/sh\necho "${tool === 'kubectl' ? 'Client Version: ' : ''}v${version}"\n`;
      if (member) {
        const stage = path.join(home, 'stage');
        mkdirSync(path.dirname(path.join(stage, member)), { recursive: true });
        writeFileSync(path.join(stage, member), script, { mode: 0o755 });
        execFileSync('tar', ['-czf', file, '-C', stage, member]);
      } else {
        writeFileSync(file, script, { mode: 0o755 });
      }
      const sum = execFileSync('sha256sum', [file], { encoding: 'utf8' }).slice(0, 64);
      const published = publish(tool, sum);
      const sumsFile = path.join(home, path.basename(sumsUrl));
      writeFileSync(
        sumsFile,
        tool === 'kubectl'
          ? `${published}\n`
          : `${'0'.repeat(64)}  some-other-file.tar.gz\n${published}  ${path.basename(url)}\n`,
      );
      text = text
        .replace(
          new RegExp(`^${up}_URL=.*$`, 'm'),
          `${up}_URL=file://${home}/${path.basename(url).replace(version, '{version}').replace(archName, '{arch}')}`,
        )
        .replace(new RegExp(`^${up}_CHECKSUMS_URL=.*$`, 'm'), `${up}_CHECKSUMS_URL=file://${sumsFile}`)
        .replace(new RegExp(`^${up}_SHA256_${arch}=.*$`, 'm'), `${up}_SHA256_${arch}=${sum}`);
    }
    const versionsFile = path.join(dir, 'tool-versions.env');
    writeFileSync(versionsFile, text);
    return { dir, versionsFile, text };
  }

  it('install-tools.sh installs every tool whose pinned and published checksums agree, and runs each', () => {
    const { versionsFile } = fakeReleases('agree');
    const run = runInstaller({ SKIP_TOOL_DOWNLOADS: '0' }, versionsFile);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/installed and verified tilt kind ctlptl kubectl k6/);
    expect(
      execFileSync(path.join(scratch, 'bin', 'kubectl'), ['version', '--client'], { encoding: 'utf8' }),
    ).toContain(`v${versions.KUBECTL_VERSION}`);
  });

  it('install-tools.sh fails closed when the release publishes another checksum than the pinned one', () => {
    const { versionsFile } = fakeReleases('disagree', (tool, sum) =>
      tool === 'kind' ? 'f'.repeat(64) : sum,
    );
    const run = runInstaller({ SKIP_TOOL_DOWNLOADS: '0' }, versionsFile);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(
      /kind .*: the pinned sha256 [0-9a-f]{64} differs from the release's published f{64}/,
    );
  });

  it('TOOL_SHA256_OVERRIDES stands in for a TODO-verify checksum only, and is still held to the published file', () => {
    const { dir, text } = fakeReleases('override');
    const pinned = new RegExp(`^CTLPTL_SHA256_${arch}=(.*)$`, 'm').exec(text)?.[1] ?? '';
    const unverified = path.join(dir, 'unverified.env');
    writeFileSync(
      unverified,
      text.replace(`CTLPTL_SHA256_${arch}=${pinned}`, `CTLPTL_SHA256_${arch}=TODO-verify`),
    );
    const ok = runInstaller({ TOOL_SHA256_OVERRIDES: `CTLPTL_SHA256_${arch}=${pinned}` }, unverified);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`CTLPTL_SHA256_${arch} taken from TOOL_SHA256_OVERRIDES`));
    const wrong = runInstaller(
      { TOOL_SHA256_OVERRIDES: `CTLPTL_SHA256_${arch}=${'e'.repeat(64)}` },
      unverified,
    );
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toMatch(/ctlptl .*: sha256 mismatch/);
    const pinnedKey = runInstaller(
      { TOOL_SHA256_OVERRIDES: `KIND_SHA256_${arch}=${'e'.repeat(64)}` },
      path.join(dir, 'tool-versions.env'),
    );
    expect(pinnedKey.status).not.toBe(0);
    expect(pinnedKey.stderr).toMatch(/an override only replaces TODO-verify/);
  });

  it('every tool names its published checksum file; the check fires without one', () => {
    const broken = { ...versions };
    delete broken.TILT_CHECKSUMS_URL;
    expect(versionsErrors(broken)).toContain(
      "TILT_CHECKSUMS_URL must be the release's published checksum file (https, with {version})",
    );
  });

  it('post-create.sh reads the pinned kind node image from the versions file', () => {
    const script = readFileSync(path.join(DEVCONTAINER_DIR, 'scripts', 'post-create.sh'), 'utf8');
    expect(script).toMatch(/tool-versions\.env/);
    expect(script).toMatch(/image: \$\{KIND_NODE_IMAGE\}/);
    expect(path.relative(repoRoot, DEVCONTAINER_JSON)).toBe('.devcontainer/devcontainer.json');
  });
});

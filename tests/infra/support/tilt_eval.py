#!/usr/bin/env python3
"""Evaluate a Tiltfile against stub Tilt built-ins and print what it declared, as JSON.

    python3 tilt_eval.py TILTFILE --base REPO_ROOT [--subcommand up|ci|down] [-- ARG ...]
    python3 tilt_eval.py --batch --base REPO_ROOT < jobs.json      (many evaluations, one process)

Tilt's Starlark is close enough to Python that a Tiltfile written in their common subset runs under
exec() with stand-ins for Tilt's built-ins. The stand-ins follow Tilt's own source (github.com/tilt-dev/tilt),
rule by rule; each cites the file it follows, and raises Tilt's own error text where Tilt rejects the
Tiltfile:

  - argument unpacking: go.starlark.net starlark/unpack.go UnpackArgs, which every Tilt built-in calls
    (tiltfile_state.go unpackArgs): an unknown keyword argument, a missing one, too many positionals;
  - kustomize(paths, kustomize_bin=None, flags=[]): internal/tiltfile/files.go (renders with
    `kubectl kustomize`, Tilt's fallback when `kustomize` is not on PATH);
  - decode_yaml_stream: internal/tiltfile/encoding/yaml.go;
  - docker_build's only=: internal/tiltfile/docker.go parseOnly (no '*' globs);
  - resource assembly after the Tiltfile ran (tiltfile_state.go assembleK8sV2, internal/k8s/names.go):
    one resource per workload named by its shortest unique name[:kind[:namespace[:group]]], the Services
    that select its pods attached, then each k8s_resource(): an unknown workload, and every `objects=`
    entry looked up as an exact, case-insensitive fragment of one rendered object (no pattern matching);
  - live_update: tiltfile_state.go validateLiveUpdate (sync sources and fall_back_on paths must be under
    the image's watched paths, i.e. its build context) and, as a runtime finding, the live-update
    reconciler's (internal/controllers/core/liveupdate/reconciler.go) "Container for live update is
    stopped" for an image a Job runs, after which Tilt falls back to a full image build;
  - resource_deps: tiltfile_state.go sanitizeDependencies (an unknown name is warned about and ignored,
    tilt-dev/tilt#5488 and #5775; a self-dependency or a cycle is an error);
  - trigger modes: tiltfile_state.go starlarkTriggerModeToModel;
  - load('ext://uibutton', ...): tilt-extensions uibutton/Tiltfile (cmd_button, text_input, bool_input,
    location), the one extension the Tiltfile uses.

Everything else is recorded for tests/infra/tilt.test.ts, which checks the declarations against the
repository (files, Dockerfiles) and the rendered dev overlay.

Before running, the source is checked to stay inside the Starlark subset: Python-only syntax (import,
while, try, class, with, f-strings, lambda, set literals, `is`, global) is reported as an error instead
of silently passing here and failing in Tilt.

Relative paths resolve against --base (Tilt resolves them against the Tiltfile's directory; the tests
put broken copies elsewhere but want them to see the real repository). Output: one JSON object on
stdout; exit 0 even when the Tiltfile failed (the failure is in "error", Tilt's text), exit 2 on bad usage.
"""

import ast
import json
import os as _os
import subprocess
import sys

import yaml


class TiltfileError(Exception):
    pass


# --- Starlark subset ---------------------------------------------------------------------------

_FORBIDDEN = {
    ast.Import: 'import statements (Starlark has load())',
    ast.ImportFrom: 'import statements (Starlark has load())',
    ast.While: 'while loops',
    ast.Try: 'try/except',
    ast.ClassDef: 'class definitions',
    ast.With: 'with statements',
    ast.JoinedStr: 'f-strings (use % or .format())',
    ast.Lambda: 'lambda',
    ast.Set: 'set literals',
    ast.SetComp: 'set comprehensions',
    ast.Global: 'global statements',
    ast.Nonlocal: 'nonlocal statements',
    ast.Yield: 'generators',
    ast.YieldFrom: 'generators',
    ast.Await: 'async',
    ast.AsyncFunctionDef: 'async',
    ast.Raise: 'raise (use fail())',
    ast.Assert: 'assert (use fail())',
    ast.Delete: 'del statements',
    ast.Starred: 'starred expressions in calls/assignments other than *args',
}


def starlark_subset_errors(source, filename):
    errors = []
    try:
        tree = ast.parse(source, filename)
    except SyntaxError as exc:
        return ['%s:%s: syntax error: %s' % (filename, exc.lineno, exc.msg)]
    for node in ast.walk(tree):
        for kind, what in _FORBIDDEN.items():
            if isinstance(node, kind):
                if kind is ast.Starred and _starred_allowed(node, tree):
                    continue
                errors.append('%s:%s: not Starlark: %s' % (filename, getattr(node, 'lineno', '?'), what))
        if isinstance(node, ast.Compare) and any(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops):
            errors.append('%s:%s: not Starlark: `is` comparisons (use ==)' % (filename, node.lineno))
    return errors


def _starred_allowed(node, tree):
    # f(*args) is Starlark; [*a, *b] and a, *b = ... are not.
    for parent in ast.walk(tree):
        if isinstance(parent, ast.Call) and node in parent.args:
            return True
    return False


# --- recorded state ------------------------------------------------------------------------------

state = {}
# The rendered objects every k8s_yaml() call added, in order (Tilt's k8sUnresourced before assembly).
_entities = []
CURRENT_TILTFILE = ''

BASE = '.'
RENDER = False
ARGS = []
SUBCOMMAND = 'up'


def _check_kwargs(fn, kwargs, allowed, required=()):
    # go.starlark.net starlark/unpack.go UnpackArgs: `<fn>: unexpected keyword argument "<name>"` (the
    # name is a starlark.String, printed quoted), `<fn>: missing argument for <name>`.
    unknown = [k for k in kwargs if k not in allowed]
    if unknown:
        raise TiltfileError('%s: unexpected keyword argument "%s"' % (fn, unknown[0]))
    for name in required:
        if name not in kwargs:
            raise TiltfileError('%s: missing argument for %s' % (fn, name))


def _bind(fn, params, args, kwargs, required=()):
    """Positional + keyword arguments -> dict, like Starlark's UnpackArgs."""
    if len(args) > len(params):
        raise TiltfileError('%s: got %d arguments, want at most %d' % (fn, len(args), len(params)))
    bound = dict(zip(params, args))
    for k in kwargs:
        if k in bound:
            raise TiltfileError('%s: got multiple values for keyword argument %s' % (fn, k))
    bound.update(kwargs)
    _check_kwargs(fn, bound, params, required)
    return bound


def _str_list(fn, name, value):
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise TiltfileError('%s: %s must be a string or a list of strings' % (fn, name))
    return list(value)


class Blob(str):
    """Tilt's Blob: a string that remembers where it came from."""

    def __new__(cls, text, source):
        obj = str.__new__(cls, text)
        obj.source = source
        return obj


class LiveUpdateStep(dict):
    pass


# --- built-ins -----------------------------------------------------------------------------------

TRIGGER_MODE_AUTO = 'auto'
TRIGGER_MODE_MANUAL = 'manual'


def fail(msg):
    # internal/tiltfile/fail.go: the error is the message itself (Tilt prints the backtrace after it).
    raise TiltfileError(str(msg))


def warn(msg):
    state['warnings'].append(str(msg))


def _print(*args):
    state['prints'].append(' '.join(str(a) for a in args))


def version_settings(*args, **kwargs):
    state['settings']['version_settings'] = _bind('version_settings', ['check_updates', 'constraint'], args, kwargs)


def update_settings(*args, **kwargs):
    state['settings']['update_settings'] = _bind(
        'update_settings', ['max_parallel_updates', 'k8s_upsert_timeout_secs', 'suppress_unused_image_warnings'],
        args, kwargs)


def ci_settings(*args, **kwargs):
    state['settings']['ci_settings'] = _bind(
        'ci_settings', ['k8s_grace_period', 'timeout', 'readiness_timeout'], args, kwargs)


def watch_settings(*args, **kwargs):
    state['settings']['watch_settings'] = _bind('watch_settings', ['ignore'], args, kwargs)


def allow_k8s_contexts(contexts):
    state['allowed_contexts'].extend(_str_list('allow_k8s_contexts', 'contexts', contexts))


def k8s_context():
    return 'kind-osint'


def k8s_namespace():
    return 'default'


def read_file(path, default=None):
    full = _os.path.join(BASE, path)
    if not _os.path.exists(full):
        if default is not None:
            return Blob(default, 'default')
        raise TiltfileError('read_file: %s does not exist' % path)
    with open(full) as fh:
        return Blob(fh.read(), path)


def local(command, quiet=False, command_bat='', echo_off=False, env=None, dir=''):
    # Tilt runs it at load time; the stub records and refuses to run anything.
    state['local_commands'].append(command if isinstance(command, str) else list(command))
    return Blob('', 'local')


_RENDERS = {}


def kustomize(*args, **kwargs):
    # internal/tiltfile/files.go kustomize(): unpackArgs(fn, "paths", &path, "kustomize_bin?", ...,
    # "flags?", ...); runs `kustomize build <path>`, or `kubectl kustomize <path>` when kustomize is not
    # on PATH (the stub always does the latter; one render per directory per process).
    b = _bind('kustomize', ['paths', 'kustomize_bin', 'flags'], args, kwargs, required=['paths'])
    path = b['paths']
    if not isinstance(path, str):
        raise TiltfileError('Argument 0 (paths): expected a string, got %s' % type(path).__name__)
    full = _os.path.abspath(_os.path.join(BASE, path))
    if full not in _RENDERS:
        proc = subprocess.run(['kubectl', 'kustomize', full] + list(b.get('flags') or []), capture_output=True,
                              text=True)
        if proc.returncode != 0:
            # files.go execLocalCmd: `command %q failed.\nerror: %v\nstdout: %q\nstderr: %q`
            raise TiltfileError('command "kubectl kustomize %s" failed.\nerror: exit status %d\nstderr: %s'
                                % (full, proc.returncode, proc.stderr.strip()))
        _RENDERS[full] = proc.stdout
    state['kustomizations'].append(path)
    return Blob(_RENDERS[full], 'kustomize:' + path)


def decode_yaml_stream(yaml_text):
    # internal/tiltfile/encoding/yaml.go decodeYAMLStream: every document of a YAML stream (a string or
    # a Blob), empty documents skipped, as Starlark values.
    if not isinstance(yaml_text, str):
        raise TiltfileError('decode_yaml_stream: for parameter yaml: got %s, want string or blob'
                            % type(yaml_text).__name__)
    return [doc for doc in yaml.safe_load_all(yaml_text) if doc is not None]


def k8s_yaml(*args, **kwargs):
    # internal/tiltfile/k8s.go k8sYaml: "yaml", "allow_duplicates?"; a Blob's documents, or a file's.
    bound = _bind('k8s_yaml', ['yaml', 'allow_duplicates'], args, kwargs, required=['yaml'])
    values = bound['yaml'] if isinstance(bound['yaml'], list) else [bound['yaml']]
    for value in values:
        if isinstance(value, Blob):
            state['k8s_yaml'].append({'source': value.source})
            text = str(value)
        elif isinstance(value, str):
            full = _os.path.join(BASE, value)
            if not _os.path.exists(full):
                raise TiltfileError('k8s_yaml: %s does not exist' % value)
            state['k8s_yaml'].append({'source': 'file:' + value})
            with open(full) as fh:
                text = fh.read()
        else:
            raise TiltfileError('k8s_yaml: expected a path or a Blob')
        for doc in yaml.safe_load_all(text):
            if doc is not None:
                _entities.append(doc)


def sync(local_path, remote_path):
    if not isinstance(local_path, str) or not isinstance(remote_path, str):
        raise TiltfileError('sync: paths must be strings')
    return LiveUpdateStep(step='sync', local_path=local_path, remote_path=remote_path)


def run(cmd, trigger=None, echo_off=False):
    return LiveUpdateStep(step='run', cmd=cmd, trigger=_str_list('run', 'trigger', trigger), echo_off=echo_off)


def fall_back_on(files):
    return LiveUpdateStep(step='fall_back_on', files=_str_list('fall_back_on', 'files', files))


def initial_sync():
    return LiveUpdateStep(step='initial_sync')


def restart_container():
    return LiveUpdateStep(step='restart_container')


_STEP_ORDER = {'fall_back_on': 0, 'initial_sync': 0, 'sync': 1, 'run': 2, 'restart_container': 3}

DOCKER_BUILD_PARAMS = [
    'ref', 'context', 'build_args', 'dockerfile', 'dockerfile_contents', 'live_update', 'match_in_env_vars',
    'ignore', 'only', 'entrypoint', 'target', 'ssh', 'network', 'secret', 'extra_tag', 'container_args',
    'cache_from', 'pull', 'platform', 'extra_hosts',
]


def docker_build(*args, **kwargs):
    # internal/tiltfile/docker.go dockerBuild: the parameters above ("ref", "context", the rest optional).
    b = _bind('docker_build', DOCKER_BUILD_PARAMS, args, kwargs, required=['ref', 'context'])
    for p in _str_list('docker_build', 'only', b.get('only')):
        # docker.go parseOnly: globs are refused (tilt#1982, moby#30018).
        if '*' in p:
            raise TiltfileError("'only' does not support '*' file globs. Must be a real path: %s" % p)
    steps = b.get('live_update') or []
    last = -1
    for step in steps:
        if not isinstance(step, LiveUpdateStep):
            raise TiltfileError('docker_build(%s): live_update entries must be sync/run/fall_back_on steps' % b['ref'])
        order = _STEP_ORDER[step['step']]
        if order < last:
            raise TiltfileError('docker_build(%s): live_update steps out of order (fall_back_on, sync, run, '
                                'restart_container)' % b['ref'])
        last = order
    state['docker_builds'].append({
        'ref': b['ref'],
        'context': b['context'],
        'dockerfile': b.get('dockerfile') or 'Dockerfile',
        'target': b.get('target') or '',
        'only': _str_list('docker_build', 'only', b.get('only')),
        'ignore': _str_list('docker_build', 'ignore', b.get('ignore')),
        'build_args': b.get('build_args') or {},
        'platform': b.get('platform') or '',
        'live_update': [dict(s) for s in steps],
    })


def port_forward(local_port, container_port=None, name=None, link_path=None, host=None):
    if not isinstance(local_port, int):
        raise TiltfileError('port_forward: local_port must be an int')
    return {'local_port': local_port, 'container_port': container_port, 'name': name, 'link_path': link_path,
            'host': host}


def link(url, name=''):
    return {'url': url, 'name': name}


def _port_forwards(fn, value):
    out = []
    for pf in value if isinstance(value, list) else [value]:
        if isinstance(pf, int):
            out.append(port_forward(pf))
        elif isinstance(pf, str):
            local_port, _, container = pf.partition(':')
            out.append(port_forward(int(local_port), int(container) if container else None))
        elif isinstance(pf, dict) and 'local_port' in pf:
            out.append(pf)
        else:
            raise TiltfileError('%s: bad port_forwards entry %r' % (fn, pf))
    return out


def _links(fn, value):
    out = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            out.append(link(item))
        elif isinstance(item, dict) and 'url' in item:
            out.append(item)
        else:
            raise TiltfileError('%s: bad links entry %r' % (fn, item))
    return out


K8S_RESOURCE_PARAMS = [
    'workload', 'new_name', 'port_forwards', 'extra_pod_selectors', 'trigger_mode', 'resource_deps', 'objects',
    'auto_init', 'pod_readiness', 'links', 'labels', 'discovery_strategy',
]


def _position():
    """Where in the Tiltfile the current built-in was called (Tilt's `tiltfilePosition`)."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename == CURRENT_TILTFILE:
            return '%s:%d' % (_os.path.basename(CURRENT_TILTFILE), frame.f_lineno)
        frame = frame.f_back
    return '?'


def _trigger_mode(fn, trigger_mode, auto_init):
    # tiltfile_state.go starlarkTriggerModeToModel: every combination is valid (AUTO + auto_init=False is
    # TriggerModeAutoWithManualInit: not run at start-up, then on every change once triggered); anything
    # but the two TRIGGER_MODE_* values is "unknown triggerMode".
    if trigger_mode not in (TRIGGER_MODE_AUTO, TRIGGER_MODE_MANUAL):
        raise TiltfileError('unknown triggerMode %s' % (trigger_mode,))
    return trigger_mode


def k8s_resource(*args, **kwargs):
    # internal/tiltfile/k8s.go k8sResource: options only; applied at assembly (assembleK8sV2 below).
    b = _bind('k8s_resource', K8S_RESOURCE_PARAMS, args, kwargs)
    if not b.get('workload') and not b.get('new_name'):
        raise TiltfileError('k8s_resource: workload must be specified')
    objects = _str_list('k8s_resource', 'objects', b.get('objects'))
    if not b.get('workload') and not objects:
        raise TiltfileError('k8s_resource: workload must be specified')
    auto_init = b.get('auto_init', True)
    trigger_mode = _trigger_mode('k8s_resource', b.get('trigger_mode') or TRIGGER_MODE_AUTO, auto_init)
    state['k8s_resources'].append({
        'workload': b.get('workload') or '',
        'new_name': b.get('new_name') or '',
        'port_forwards': _port_forwards('k8s_resource', b.get('port_forwards') or []),
        'resource_deps': _str_list('k8s_resource', 'resource_deps', b.get('resource_deps')),
        'objects': objects,
        'labels': _str_list('k8s_resource', 'labels', b.get('labels')),
        'links': _links('k8s_resource', b.get('links') or []),
        'trigger_mode': trigger_mode,
        'auto_init': auto_init,
        'position': _position(),
    })


LOCAL_RESOURCE_PARAMS = [
    'name', 'cmd', 'deps', 'trigger_mode', 'resource_deps', 'ignore', 'auto_init', 'serve_cmd', 'cmd_bat',
    'serve_cmd_bat', 'allow_parallel', 'links', 'tags', 'env', 'serve_env', 'readiness_probe', 'dir', 'serve_dir',
    'labels',
]


def local_resource(*args, **kwargs):
    # internal/tiltfile/local_resource.go localResource: the parameters above, "name" required.
    b = _bind('local_resource', LOCAL_RESOURCE_PARAMS, args, kwargs, required=['name'])
    if not b.get('cmd') and not b.get('serve_cmd'):
        raise TiltfileError('local_resource must have a cmd and/or a serve_cmd, but both were empty')
    _trigger_mode('local_resource', b.get('trigger_mode') or TRIGGER_MODE_AUTO, b.get('auto_init', True))
    state['local_resources'].append({
        'name': b['name'],
        'cmd': b.get('cmd') or '',
        'serve_cmd': b.get('serve_cmd') or '',
        'deps': _str_list('local_resource', 'deps', b.get('deps')),
        'resource_deps': _str_list('local_resource', 'resource_deps', b.get('resource_deps')),
        'labels': _str_list('local_resource', 'labels', b.get('labels')),
        'links': _links('local_resource', b.get('links') or []),
        'trigger_mode': b.get('trigger_mode') or TRIGGER_MODE_AUTO,
        'auto_init': b.get('auto_init', True),
        'allow_parallel': bool(b.get('allow_parallel', False)),
        'env': b.get('env') or {},
    })


class _Config:
    """config.*: definitions are recorded; parse() maps the command-line args like Tilt does."""

    tilt_subcommand = 'up'
    main_path = ''

    def _define(self, kind, name, args=False, usage=''):
        if any(d['name'] == name for d in state['config']['definitions']):
            raise TiltfileError('config.define_%s: %s defined twice' % (kind, name))
        if args and any(d['args'] for d in state['config']['definitions']):
            raise TiltfileError('config.define_%s: only one setting can take the positional args' % kind)
        state['config']['definitions'].append({'kind': kind, 'name': name, 'args': bool(args), 'usage': usage})

    def define_string_list(self, name, args=False, usage=''):
        self._define('string_list', name, args, usage)

    def define_string(self, name, args=False, usage=''):
        self._define('string', name, args, usage)

    def define_bool(self, name, args=False, usage=''):
        self._define('bool', name, args, usage)

    def define_object(self, name, args=False, usage=''):
        self._define('object', name, args, usage)

    def parse(self):
        state['config']['parse_called'] = True
        result = {}
        positional = [d for d in state['config']['definitions'] if d['args']]
        if ARGS:
            if not positional:
                raise TiltfileError('config.parse: positional args given but no setting takes them')
            result[positional[0]['name']] = list(ARGS) if positional[0]['kind'] == 'string_list' else ARGS[0]
        return result

    def set_enabled_resources(self, resources):
        state['config']['enabled_resources'] = _str_list('config.set_enabled_resources', 'resources', resources)

    def clear_enabled_resources(self):
        state['config']['enabled_resources'] = []


class _Path:
    def exists(self, p):
        return _os.path.exists(_os.path.join(BASE, p))

    def join(self, *parts):
        return _os.path.join(*parts)

    def basename(self, p):
        return _os.path.basename(p)

    def dirname(self, p):
        return _os.path.dirname(p)

    def abspath(self, p):
        return _os.path.abspath(_os.path.join(BASE, p))

    def realpath(self, p):
        return _os.path.realpath(_os.path.join(BASE, p))

    def relpath(self, p, start=None):
        return _os.path.relpath(p, start or BASE)


class _Os:
    path = _Path()
    environ = {}
    name = 'posix'

    def getenv(self, key, default=None):
        return self.environ.get(key, default)

    def getcwd(self):
        return _os.path.abspath(BASE)


class _Struct(dict):
    """Starlark's struct(): attribute access."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name)


# tilt-extensions uibutton/Tiltfile: LOCATION_RESOURCE = 'resource', LOCATION_NAV = 'nav'.
_UIBUTTON_LOCATION = _Struct(RESOURCE='resource', NAV='nav')


def _cmd_button(name, resource='', argv=[], text=None, location='resource', icon_name=None, icon_svg=None,
                inputs=[]):
    # tilt-extensions uibutton/Tiltfile cmd_button: the same parameters and the same fail() messages. Tilt
    # runs argv on the host, in the Tiltfile's directory, with each input's value in an environment
    # variable named after the input (tilt#4860; uibutton README "$NAME will be set to the field's value").
    if SUBCOMMAND == 'down':
        return None
    if not location:
        fail('location is required')
    if location == 'resource':
        if not resource:
            fail('Must provide a resource name')
    elif resource:
        fail('Cannot specify resource for location type {}'.format(location))
    if not argv:
        fail('argv cannot be empty')
    if location not in ('resource', 'nav') and '/' not in location:
        fail('Unsupported location {}'.format(location))
    state['buttons'].append({'name': name, 'resource': resource or '', 'argv': list(argv), 'text': text or name,
                             'location': location, 'icon_name': icon_name, 'inputs': list(inputs)})
    return None


def _text_input(name, label='', default='', placeholder=''):
    # uibutton/Tiltfile text_input
    return {'name': name, 'label': label, 'text': {'defaultValue': default, 'placeholder': placeholder}}


def _bool_input(name, label='', default=False, true_string=None, false_string=None):
    # uibutton/Tiltfile bool_input
    result = {'name': name, 'label': label, 'bool': {'defaultValue': default}}
    if true_string is not None:
        result['bool']['trueString'] = true_string
    if false_string is not None:
        result['bool']['falseString'] = false_string
    return result


_EXTENSIONS = {
    'ext://uibutton': {'cmd_button': _cmd_button, 'text_input': _text_input, 'bool_input': _bool_input,
                       'location': _UIBUTTON_LOCATION},
}


def _type(value):
    # Starlark type() names.
    return {str: 'string', int: 'int', bool: 'bool', list: 'list', dict: 'dict', tuple: 'tuple'}.get(
        type(value), type(value).__name__)


def load(module, *symbols, **aliases):
    # Starlark load(): each named symbol must exist in the module (`load: name X not found in module M`).
    if module not in _EXTENSIONS:
        raise TiltfileError('load(%r): the stub evaluator models only %s (teach tilt_eval.py the extension, '
                            'following its Tiltfile in tilt-dev/tilt-extensions)' % (module, ', '.join(_EXTENSIONS)))
    ext = _EXTENSIONS[module]
    scope = sys._getframe(1).f_globals
    state['loads'].append(module)
    for local_name, symbol in [(s_, s_) for s_ in symbols] + list(aliases.items()):
        if symbol not in ext:
            raise TiltfileError('load: name %s not found in module %s' % (symbol, module))
        scope[local_name] = ext[symbol]


# --- assembly: what Tilt does once the Tiltfile has run -----------------------------------------

_WORKLOAD_KINDS = ('Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet', 'Pod')


def _meta(e):
    return e.get('metadata') or {}


def _namespace(e):
    # internal/k8s/entity.go Namespace(): "" means "default".
    return _meta(e).get('namespace') or 'default'


def _group(e):
    # internal/k8s/names.go potentialNames: an empty group is "core".
    api = e.get('apiVersion') or ''
    return api.split('/')[0] if '/' in api else 'core'


def _potential_names(e, min_components=1):
    # internal/k8s/names.go potentialNames: name, name:kind, name:kind:namespace, name:kind:namespace:group,
    # lower-cased.
    parts = [_meta(e).get('name') or '', e.get('kind') or '', _namespace(e), _group(e)]
    return [':'.join(parts[:i + 1]).lower() for i in range(min_components - 1, len(parts))]


def _full_name(e):
    # tiltfile_state.go fullNameFromK8sEntity: name:Kind:namespace (k8s.SelectorStringFromParts).
    return '%s:%s:%s' % (_meta(e).get('name') or '', e.get('kind') or '', _namespace(e))


def _quoted_list(items):
    # internal/sliceutils QuotedStringList: each %q, joined by ", ".
    return ', '.join(json.dumps(i) for i in items)


def _pod_templates(e):
    # internal/k8s ExtractPodTemplateSpec: the pod templates a workload creates pods from.
    spec = e.get('spec') or {}
    if e.get('kind') == 'Pod':
        return [{'metadata': _meta(e), 'spec': spec}]
    if e.get('kind') == 'CronJob':
        return [((spec.get('jobTemplate') or {}).get('spec') or {}).get('template') or {}]
    return [spec['template']] if isinstance(spec.get('template'), dict) else []


def _images(e):
    out = []
    for t in _pod_templates(e):
        pod = t.get('spec') or {}
        for c in (pod.get('initContainers') or []) + (pod.get('containers') or []):
            if c.get('image'):
                out.append(c['image'])
    return out


def _image_name(image):
    no_digest = image.split('@')[0]
    slash, colon = no_digest.rfind('/'), no_digest.rfind(':')
    return no_digest[:colon] if colon > slash else no_digest


def _unique_names(workloads):
    # internal/k8s/names.go UniqueNames(es, 1): the shortest potential name no other workload wants.
    counts = {}
    for e in workloads:
        for n in _potential_names(e):
            counts[n] = counts.get(n, 0) + 1
    names = []
    for e in workloads:
        candidates = _potential_names(e)
        chosen = next((n for n in candidates if counts[n] == 1), None)
        if chosen is None:
            raise TiltfileError('Duplicate YAML Entity(s): [%s] has been detected across one or more resources.  '
                                'Only one specification per entity can be applied to the cluster; to ensure '
                                'expected behavior, remove the duplicate specifications.' % candidates[-1])
        names.append(chosen)
    return names


def _service_selects(svc, template, namespace):
    # internal/k8s/entity.go SelectorMatchesLabels (Services only) + same namespace
    # (FilterByMatchesPodTemplateSpec).
    if svc.get('kind') != 'Service' or _namespace(svc) != namespace:
        return False
    labels = (template.get('metadata') or {}).get('labels') or {}
    selector = (svc.get('spec') or {}).get('selector') or {}
    return all(labels.get(k) == v for k, v in selector.items())


def _assemble():
    """tiltfile_state.go assembleK8sV2 + validateLiveUpdate + sanitizeDependencies, in that order."""
    # assembleK8sByWorkload: every object with container images is a workload (isWorkload: FindImages).
    workloads = [e for e in _entities if _images(e)]
    rest = [e for e in _entities if not _images(e)]
    resources = {}
    order = []
    for name, w in zip(_unique_names(workloads), workloads):
        attached = [w]
        for t in _pod_templates(w):
            matched = [e for e in rest if _service_selects(e, t, _namespace(w))]
            attached.extend(matched)
            rest = [e for e in rest if e not in matched]
        resources[name] = {'name': name, 'entities': attached, 'workload': w}
        order.append(name)
    unresourced = rest

    all_entities = [e for n in order for e in resources[n]['entities']] + unresourced
    fragments = {}
    for e in all_entities:
        for n in _potential_names(e):
            fragments.setdefault(n, []).append(e)
    full_names = [_full_name(e) for e in all_entities]

    for opts in state['k8s_resources']:
        key = opts['workload'] or opts['new_name']
        if not opts['workload']:
            # k8s.go: k8s_resource(new_name=..., objects=[...]) without a workload groups objects manually.
            resources[key] = {'name': key, 'entities': [], 'workload': None}
            order.append(key)
        if key not in resources:
            raise TiltfileError('k8s_resource at %s specified unknown resource "%s". known resources: %s\n\n'
                                "Note: Tilt's resource naming has recently changed. See "
                                'https://docs.tilt.dev/resource_assembly_migration.html for more info'
                                % (opts['position'], key, ', '.join(order)))
        r = resources[key]
        if opts['new_name'] and opts['new_name'] != r['name'] and opts['workload']:
            if opts['new_name'] in resources:
                raise TiltfileError('k8s_resource at %s specified to rename "%s" to "%s", but there already '
                                    'exists a resource with that name' % (opts['position'], r['name'], opts['new_name']))
            del resources[r['name']]
            order[order.index(r['name'])] = opts['new_name']
            r['name'] = opts['new_name']
            resources[r['name']] = r
        for o in opts['objects']:
            matches = fragments.get(o.lower(), [])
            if not matches:
                raise TiltfileError('No object identified by the fragment "%s" could be found. Possible objects '
                                    'are: %s' % (o, _quoted_list(full_names)))
            if len(matches) > 1:
                raise TiltfileError('"%s" is not a unique fragment. Objects that match "%s" are %s'
                                    % (o, o, _quoted_list([_full_name(e) for e in matches])))
            if matches[0] not in unresourced:
                raise TiltfileError('No object identified by the fragment "%s" could be found in remaining YAML. '
                                    'Valid remaining fragments are: %s'
                                    % (o, _quoted_list([_full_name(e) for e in unresourced])))
            unresourced.remove(matches[0])
            r['entities'].append(matches[0])

    # validateLiveUpdate: a docker_build's watched paths are its build context (ImageTarget.Dependencies).
    for b in state['docker_builds']:
        context = _os.path.abspath(_os.path.join(BASE, b['context']))
        watched = [context]

        def under(p):
            return p == context or p.startswith(context.rstrip('/') + '/')
        for step in b['live_update']:
            if step['step'] == 'sync':
                src = _os.path.abspath(_os.path.join(BASE, step['local_path']))
                if not under(src):
                    raise TiltfileError("sync step source '%s' is not a child of any watched filepaths (%s)"
                                        % (src, '[' + ' '.join(watched) + ']'))
            if step['step'] == 'fall_back_on':
                for f in step['files']:
                    path = _os.path.abspath(_os.path.join(BASE, f))
                    if not under(path):
                        raise TiltfileError("fall_back_on paths '%s' is not a child of any watched filepaths (%s)"
                                            % (path, '[' + ' '.join(watched) + ']'))
        # internal/controllers/core/liveupdate/reconciler.go maybeSync: a changed file reaches only running
        # containers; when every container of the image is a finished pod's (a Job's), the live update fails
        # ("Terminated") and Tilt falls back to a full image build of that image.
        if b['live_update']:
            for n in order:
                w = resources[n]['workload']
                if w is not None and w.get('kind') in ('Job', 'CronJob') and \
                        any(_image_name(i) == _image_name(b['ref']) for i in _images(w)):
                    state['live_update_failures'].append({
                        'image': b['ref'], 'resource': n,
                        'message': 'Container for live update is stopped. Pod name: %s-<id>' % _meta(w).get('name'),
                    })

    # tiltfile_state.go sanitizeDependencies: an unknown name is a warning and the dependency is dropped
    # (tilt-dev/tilt#5488 made it a warning instead of an error, #5775 drops it); a self-dependency or a
    # cycle fails the load.
    known = set(order) | set(r['name'] for r in state['local_resources'])
    edges = {}
    for name, deps in [(o['new_name'] or o['workload'], o['resource_deps']) for o in state['k8s_resources']] + \
            [(r['name'], r['resource_deps']) for r in state['local_resources']]:
        for d in deps:
            if d == name:
                raise TiltfileError('resource %s specified a dependency on itself' % name)
            if d not in known:
                state['warnings'].append('resource %s specified a dependency on unknown resource %s - dependency '
                                         'ignored' % (name, d))
                continue
            edges.setdefault(name, []).append(d)
    visiting, done = [], set()

    def visit(n):
        if n in done:
            return
        if n in visiting:
            cycle = visiting[visiting.index(n):] + [n]
            raise TiltfileError('cycle detected in resource dependency graph: %s' % ' -> '.join(cycle))
        visiting.append(n)
        for d in edges.get(n, []):
            visit(d)
        visiting.pop()
        done.add(n)
    for n in sorted(edges):
        visit(n)

    state['resources'] = [{'name': n, 'objects': ['%s/%s' % (e.get('kind'), _meta(e).get('name'))
                                                  for e in resources[n]['entities']],
                           'images': sorted(set(_image_name(i) for i in (_images(resources[n]['workload'])
                                                                         if resources[n]['workload'] else [])))}
                          for n in order]
    state['unresourced'] = ['%s/%s' % (e.get('kind'), _meta(e).get('name')) for e in unresourced]


def _builtins(subcommand):
    cfg = _Config()
    cfg.tilt_subcommand = subcommand
    return {
        '__builtins__': {
            # The Python built-ins Starlark also has.
            'len': len, 'str': str, 'int': int, 'bool': bool, 'list': list, 'dict': dict, 'tuple': tuple,
            'range': range, 'enumerate': enumerate, 'zip': zip, 'sorted': sorted, 'reversed': reversed,
            'min': min, 'max': max, 'any': any, 'all': all, 'hasattr': hasattr, 'getattr': getattr,
            'repr': repr, 'True': True, 'False': False, 'None': None, 'print': _print, 'type': _type,
        },
        'fail': fail, 'warn': warn, 'load': load,
        'version_settings': version_settings, 'update_settings': update_settings, 'ci_settings': ci_settings,
        'watch_settings': watch_settings, 'allow_k8s_contexts': allow_k8s_contexts, 'k8s_context': k8s_context,
        'k8s_namespace': k8s_namespace, 'read_file': read_file, 'local': local, 'kustomize': kustomize,
        'decode_yaml_stream': decode_yaml_stream,
        'k8s_yaml': k8s_yaml, 'docker_build': docker_build, 'sync': sync, 'run': run,
        'fall_back_on': fall_back_on, 'initial_sync': initial_sync, 'restart_container': restart_container,
        'k8s_resource': k8s_resource, 'local_resource': local_resource, 'port_forward': port_forward,
        'link': link, 'config': cfg, 'os': _Os(),
        'TRIGGER_MODE_AUTO': TRIGGER_MODE_AUTO, 'TRIGGER_MODE_MANUAL': TRIGGER_MODE_MANUAL,
    }


def _fresh_state():
    state.clear()
    state.update({
        'docker_builds': [],
        'k8s_yaml': [],
        'k8s_resources': [],
        'local_resources': [],
        'config': {'definitions': [], 'parse_called': False, 'enabled_resources': None},
        'settings': {},
        'allowed_contexts': [],
        'warnings': [],
        'prints': [],
        'local_commands': [],
        'kustomizations': [],
        'loads': [],
        'buttons': [],
        'resources': [],
        'unresourced': [],
        'live_update_failures': [],
    })
    del _entities[:]


def evaluate(tiltfile, args, subcommand):
    """One evaluation with fresh state: what the Tiltfile declared, or where it failed (Tilt's text)."""
    global ARGS, SUBCOMMAND, CURRENT_TILTFILE
    ARGS, SUBCOMMAND, CURRENT_TILTFILE = list(args), subcommand, tiltfile
    _fresh_state()
    with open(tiltfile) as fh:
        source = fh.read()
    out = {'tiltfile': tiltfile, 'args': ARGS, 'subcommand': SUBCOMMAND, 'error': None,
           'starlark_errors': starlark_subset_errors(source, tiltfile)}
    if not out['starlark_errors']:
        try:
            exec(compile(source, tiltfile, 'exec'), _builtins(SUBCOMMAND))
            if SUBCOMMAND != 'down':
                _assemble()
        except TiltfileError as exc:
            out['error'] = str(exc)
        except Exception as exc:  # a Starlark runtime error in Tilt
            out['error'] = '%s: %s' % (type(exc).__name__, exc)
    out.update(json.loads(json.dumps(state)))
    return out


def main(argv):
    global BASE, RENDER
    args = []
    if '--' in argv:
        idx = argv.index('--')
        argv, args = argv[:idx], argv[idx + 1:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    tiltfile = argv[0]
    rest = argv[1:]
    subcommand = 'up'
    while rest:
        flag = rest.pop(0)
        if flag == '--base' and rest:
            BASE = rest.pop(0)
        elif flag == '--subcommand' and rest:
            subcommand = rest.pop(0)
        elif flag == '--render':
            pass  # kustomize() always renders now, as Tilt does
        else:
            print('tilt_eval.py: unknown argument %s' % flag, file=sys.stderr)
            return 2

    if tiltfile == '--batch':
        # stdin: [{"tiltfile": ..., "args": [...], "subcommand": "up"}, ...] -> a JSON list, same order.
        jobs = json.load(sys.stdin)
        result = [evaluate(j['tiltfile'], j.get('args', []), j.get('subcommand', subcommand)) for j in jobs]
    else:
        result = evaluate(tiltfile, args, subcommand)
    json.dump(result, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Evaluate a Tiltfile against stub Tilt built-ins and print what it declared, as JSON.

    python3 tilt_eval.py TILTFILE --base REPO_ROOT [--subcommand up|ci] [--render] [-- ARG ...]
    python3 tilt_eval.py --batch --base REPO_ROOT < jobs.json      (many evaluations, one process)

Tilt's Starlark is close enough to Python that a Tiltfile written in their common subset runs under
exec() with stand-ins for Tilt's built-ins. The stand-ins record every call (docker_build, k8s_yaml,
k8s_resource, local_resource, live_update steps, config.*, settings) and validate their arguments the
way Tilt does where that is cheap (unknown keyword arguments, missing required ones, wrong live_update
step order). They judge nothing else: tests/infra/tilt.test.ts checks the recorded declarations against
the repository (files, Dockerfiles) and the rendered dev overlay. `kustomize()` checks the directory holds a
kustomization and records it; the test renders it once with `kubectl kustomize` (--render makes the stub
run it too, as Tilt does).

Before running, the source is checked to stay inside the Starlark subset: Python-only syntax (import,
while, try, class, with, f-strings, lambda, set literals, `is`, global) is reported as an error instead
of silently passing here and failing in Tilt.

Relative paths resolve against --base (Tilt resolves them against the Tiltfile's directory; the tests
put broken copies elsewhere but want them to see the real repository). Output: one JSON object on
stdout; exit 0 even when the Tiltfile failed (the failure is in "error"), exit 2 on bad usage.
"""

import ast
import json
import os as _os
import subprocess
import sys


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

BASE = '.'
RENDER = False
ARGS = []
SUBCOMMAND = 'up'


def _check_kwargs(fn, kwargs, allowed, required=()):
    unknown = sorted(set(kwargs) - set(allowed))
    if unknown:
        raise TiltfileError('%s: unexpected keyword argument(s) %s' % (fn, ', '.join(unknown)))
    for name in required:
        if name not in kwargs or kwargs[name] is None or (kwargs[name] == '' and not isinstance(kwargs[name], Blob)):
            raise TiltfileError('%s: missing argument %s' % (fn, name))


def _bind(fn, params, args, kwargs, required=()):
    """Positional + keyword arguments -> dict, like Starlark's UnpackArgs."""
    if len(args) > len(params):
        raise TiltfileError('%s: got %d positional arguments, want at most %d' % (fn, len(args), len(params)))
    bound = dict(zip(params, args))
    for k in kwargs:
        if k in bound:
            raise TiltfileError('%s: got multiple values for %s' % (fn, k))
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
    raise TiltfileError('fail(): %s' % msg)


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


def kustomize(*args, **kwargs):
    bound = _bind('kustomize', ['pathToDir', 'kustomize_bin', 'flags'], args, kwargs, required=['pathToDir'])
    path = bound['pathToDir']
    full = _os.path.join(BASE, path)
    if not any(_os.path.isfile(_os.path.join(full, f)) for f in ('kustomization.yaml', 'kustomization.yml',
                                                                'Kustomization')):
        raise TiltfileError('kustomize(%r): no kustomization in %s' % (path, full))
    if not RENDER:
        # The caller renders the overlay itself (once per run); the stub only records which one.
        return Blob('', 'kustomize:' + path)
    proc = subprocess.run(['kubectl', 'kustomize', path], cwd=BASE, capture_output=True, text=True)
    if proc.returncode != 0:
        raise TiltfileError('kustomize(%r): %s' % (path, proc.stderr.strip()))
    return Blob(proc.stdout, 'kustomize:' + path)


def k8s_yaml(*args, **kwargs):
    bound = _bind('k8s_yaml', ['yaml', 'allow_duplicates'], args, kwargs, required=['yaml'])
    values = bound['yaml'] if isinstance(bound['yaml'], list) else [bound['yaml']]
    for value in values:
        if isinstance(value, Blob):
            state['k8s_yaml'].append({'source': value.source})
        elif isinstance(value, str):
            if not _os.path.exists(_os.path.join(BASE, value)):
                raise TiltfileError('k8s_yaml: %s does not exist' % value)
            state['k8s_yaml'].append({'source': 'file:' + value})
        else:
            raise TiltfileError('k8s_yaml: expected a path or a Blob')


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
    b = _bind('docker_build', DOCKER_BUILD_PARAMS, args, kwargs, required=['ref', 'context'])
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


def k8s_resource(*args, **kwargs):
    b = _bind('k8s_resource', K8S_RESOURCE_PARAMS, args, kwargs)
    if not b.get('workload') and not b.get('new_name'):
        raise TiltfileError('k8s_resource: needs a workload or a new_name')
    state['k8s_resources'].append({
        'workload': b.get('workload') or '',
        'new_name': b.get('new_name') or '',
        'port_forwards': _port_forwards('k8s_resource', b.get('port_forwards') or []),
        'resource_deps': _str_list('k8s_resource', 'resource_deps', b.get('resource_deps')),
        'objects': _str_list('k8s_resource', 'objects', b.get('objects')),
        'labels': _str_list('k8s_resource', 'labels', b.get('labels')),
        'links': _links('k8s_resource', b.get('links') or []),
        'trigger_mode': b.get('trigger_mode') or TRIGGER_MODE_AUTO,
        'auto_init': b.get('auto_init', True),
    })


LOCAL_RESOURCE_PARAMS = [
    'name', 'cmd', 'deps', 'trigger_mode', 'resource_deps', 'ignore', 'auto_init', 'serve_cmd', 'cmd_bat',
    'serve_cmd_bat', 'allow_parallel', 'links', 'tags', 'env', 'serve_env', 'readiness_probe', 'dir', 'serve_dir',
    'labels',
]


def local_resource(*args, **kwargs):
    b = _bind('local_resource', LOCAL_RESOURCE_PARAMS, args, kwargs, required=['name'])
    if not b.get('cmd') and not b.get('serve_cmd'):
        raise TiltfileError('local_resource(%s): needs cmd or serve_cmd' % b['name'])
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


def load(module, *symbols, **aliases):
    raise TiltfileError('load(%r): extensions are not available to the stub evaluator (keep the Tiltfile '
                        'self-contained, or teach tilt_eval.py the extension)' % module)


def _builtins(subcommand):
    cfg = _Config()
    cfg.tilt_subcommand = subcommand
    return {
        '__builtins__': {
            # The Python built-ins Starlark also has.
            'len': len, 'str': str, 'int': int, 'bool': bool, 'list': list, 'dict': dict, 'tuple': tuple,
            'range': range, 'enumerate': enumerate, 'zip': zip, 'sorted': sorted, 'reversed': reversed,
            'min': min, 'max': max, 'any': any, 'all': all, 'hasattr': hasattr, 'getattr': getattr,
            'repr': repr, 'True': True, 'False': False, 'None': None, 'print': _print,
        },
        'fail': fail, 'warn': warn, 'load': load,
        'version_settings': version_settings, 'update_settings': update_settings, 'ci_settings': ci_settings,
        'watch_settings': watch_settings, 'allow_k8s_contexts': allow_k8s_contexts, 'k8s_context': k8s_context,
        'k8s_namespace': k8s_namespace, 'read_file': read_file, 'local': local, 'kustomize': kustomize,
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
    })


def evaluate(tiltfile, args, subcommand):
    """One evaluation with fresh state: what the Tiltfile declared, or where it failed."""
    global ARGS, SUBCOMMAND
    ARGS, SUBCOMMAND = list(args), subcommand
    _fresh_state()
    with open(tiltfile) as fh:
        source = fh.read()
    out = {'tiltfile': tiltfile, 'args': ARGS, 'subcommand': SUBCOMMAND, 'error': None,
           'starlark_errors': starlark_subset_errors(source, tiltfile)}
    if not out['starlark_errors']:
        try:
            exec(compile(source, tiltfile, 'exec'), _builtins(SUBCOMMAND))
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
            RENDER = True
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

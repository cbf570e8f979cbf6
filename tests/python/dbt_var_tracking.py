"""dbt parses the whole project again whenever the vars change, since it does not know which files read
which vars. It does know which files read which environment variables, and parses again only those whose
variables changed. The tests bring their own vars to most dbt calls (an input file, a setting), so most of
their calls began with a full parse (about 1 s of CPU each, 0.2 s this way).

Here, in the test process only, every var a file reads while it is parsed is recorded the way dbt records an
environment variable, under a name of its own (``PREDSEG_PARSED_VAR__<var>``, the var's value as JSON): a
node's reads (models, singular and generic tests, seeds) in its file, or in its entry of a schema file, and
the reads of a schema file's rendering in that entry. A dbt call whose vars differ from those of every parse
saved for its target folder then starts from the last parse this process saved with the same rendered
dbt_project.yml configurations (which the vars can change, `+enabled` for instance, and which no file
records), and dbt's partial parsing parses again the files and entries that read a var whose value changed.
When nothing but vars changed, their children are not parsed again: a var leaves every node's name and
version as they were. A saved parse is used only when it was made with the same project file, the same
profile but for the database's path (which no file reads at parse time), the same environment variables of
dbt_project.yml and the same dbt version, and not when dbt_project.yml scopes vars to a package.

Checked: with ``PREDSEG_TEST_CHECK_PARSE=1`` (or ``set_checking(True)``), each such parse is followed by a
full one, and the dbt call fails if any enabled node, source, macro or unit test, or the set of disabled
nodes, differs between them. The whole suite passes so; test_parse_reuse.py checks a few vars every run.
``PREDSEG_TEST_PARSE_REUSE=0`` turns it all off.
"""

from __future__ import annotations

import json
import os
from typing import Any

PREFIX = "PREDSEG_PARSED_VAR__"
UNSET = "<unset>"

# the loader parsing now (dbt parses in one thread), the last parse saved per rendered project configuration,
# whether this parse started from another call's, whether to check such parses against full ones, and the
# paths each checked parse parsed again (the number a full parse would)
_state: dict[str, Any] = {
    "installed": False,
    "loader": None,
    "latest": {},
    "reused": False,
    "no_reuse": False,
    "check": False,
    "checked": [],
    "untracked": False,
}


def encoded_var(config, name: str) -> str:
    """The value of var ``name`` for this project's nodes (command-line vars over dbt_project.yml's), as
    JSON, or UNSET."""
    from dbt.context.configured import FQNLookup

    if name in config.cli_vars:
        return json.dumps(config.cli_vars[name], sort_keys=True, default=repr)
    project_vars = config.vars.vars_for(FQNLookup(config.project_name), config.credentials.type)
    if name in project_vars:
        return json.dumps(project_vars[name], sort_keys=True, default=repr)
    return UNSET


def record_node_read(node, config, name: str) -> None:
    """A node being parsed read var ``name``: its file (or its entry of a schema file) depends on it."""
    from dbt.contracts.files import ParseFileType

    loader = _state["loader"]
    if loader is None or node is None:
        return
    manifest = loader.manifest
    source_file = manifest.files.get(getattr(node, "file_id", None))
    if source_file is None:
        return
    key = PREFIX + name
    manifest.env_vars[key] = encoded_var(config, name)
    if source_file.parse_file_type == ParseFileType.Schema:
        # a generic test of a schema file's entry: that entry is parsed again
        yaml_key, _, entry = (getattr(node, "file_key_name", None) or "").partition(".")
        if entry:
            source_file.add_env_var(key, yaml_key, entry)
        else:
            _state["untracked"] = True
    elif key not in source_file.env_vars:
        source_file.env_vars.append(key)


def only_vars_changed(partial) -> bool:
    """Whether the project's files and the environment variables they read are as in the saved parse."""
    from dbt.constants import DEFAULT_ENV_PLACEHOLDER

    saved, new = partial.saved_files, partial.new_files
    if saved.keys() != new.keys() or any(saved[key].checksum != new[key].checksum for key in new):
        return False
    for name, value in partial.saved_manifest.env_vars.items():
        if name.startswith(PREFIX):
            continue
        current = os.environ.get(name)
        if current != value and not (current is None and value == DEFAULT_ENV_PLACEHOLDER):
            return False
    return True


ENTRY_KEYS = {"model": "models", "seed": "seeds", "snapshot": "snapshots", "analysis": "analyses"}


def entries_depend_on_their_nodes_vars(manifest) -> None:
    """A schema file's entry for a model, seed, snapshot or analysis is parsed again, with its tests, when its
    node's file read a var that changed: whatever the var changed in the node (its configuration, its
    columns' types) reaches the tests and the patch drawn from that entry."""
    from dbt.contracts.files import ParseFileType

    reads: dict[tuple[str, str], list[str]] = {}
    for source_file in manifest.files.values():
        if source_file.parse_file_type == ParseFileType.Schema or not source_file.env_vars:
            continue
        read = [name for name in source_file.env_vars if name.startswith(PREFIX)]
        for unique_id in read and getattr(source_file, "nodes", []):
            resource_type, _, name = unique_id.split(".")[:3]
            if resource_type in ENTRY_KEYS:
                reads.setdefault((ENTRY_KEYS[resource_type], name), []).extend(read)
    if not reads:
        return
    for source_file in manifest.files.values():
        if source_file.parse_file_type != ParseFileType.Schema:
            continue
        for yaml_key in ENTRY_KEYS.values():
            for entry in (source_file.dict_from_yaml or {}).get(yaml_key) or []:
                name = entry.get("name") if isinstance(entry, dict) else None
                for var in reads.get((yaml_key, name), []):
                    source_file.add_env_var(var, yaml_key, name)


def project_vars_are_scoped(config) -> bool:
    """Whether dbt_project.yml scopes vars to a project or package (then a var's value may differ by node)."""
    project_vars = getattr(config.vars, "vars", {}) or {}
    names = {config.project_name, *(getattr(config, "dependencies", None) or {})}
    return any(isinstance(project_vars.get(name), dict) for name in names)


def install() -> None:
    from dbt.context.configured import ConfiguredVar, SchemaYamlContext
    from dbt.context.providers import ParseVar
    from dbt.parser.manifest import ManifestLoader
    from dbt.parser.partial import PartialParsing

    _state["installed"] = True
    # vars read by the nodes being parsed (models, tests, seeds, snapshots, analyses)
    parse_call = ParseVar.__call__

    def parse_var(self, var_name, default=ParseVar._VAR_NOTSET):
        value = parse_call(self, var_name, default)
        record_node_read(self._node, self._config, var_name)
        return value

    ParseVar.__call__ = parse_var

    # vars read while a schema file's entry is rendered: recorded where dbt records environment variables
    class RecordingVar(ConfiguredVar):
        def __init__(self, context, config, project_name, schema_yaml_vars):
            super().__init__(context, config, project_name)
            self._schema_yaml_vars = schema_yaml_vars

        def __call__(self, var_name, default=ConfiguredVar._VAR_NOTSET):
            value = super().__call__(var_name, default)
            if self._schema_yaml_vars is not None and _state["loader"] is not None:
                self._schema_yaml_vars.env_vars[PREFIX + var_name] = encoded_var(self._config, var_name)
            return value

    SchemaYamlContext._context_members_["var"] = property(
        lambda ctx: RecordingVar(ctx._ctx, ctx.config, ctx._project_name, ctx.schema_yaml_vars)
    )

    # dbt compares each recorded environment variable with the environment: the recorded vars are compared
    # with this call's values
    build_env_vars_to_files = PartialParsing.build_env_vars_to_files

    def compare_vars_too(self):
        config = _state["loader"].root_project
        names = [name for name in self.saved_manifest.env_vars if name.startswith(PREFIX)]
        before = {name: os.environ.get(name) for name in names}
        os.environ.update({name: encoded_var(config, name[len(PREFIX) :]) for name in names})
        try:
            return build_env_vars_to_files(self)
        finally:
            for name, value in before.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value

    PartialParsing.build_env_vars_to_files = compare_vars_too

    # dbt parses again every node downstream of a file it parses again (a changed file could rename or
    # remove a node its children refer to). A var cannot rename a node; it could disable one in the node's
    # own config() call (none of this project's does, and the check would find the children's references
    # differ), or through dbt_project.yml, whose parses are not reused across (project_configs). So when
    # only vars changed, the files that read them are parsed again and their children keep their parse.
    get_parsing_files = PartialParsing.get_parsing_files

    def parse_only_what_read_changed_vars(self):
        if not only_vars_changed(self):
            return get_parsing_files(self)
        self.schedule_referencing_nodes_for_parsing = lambda unique_id: None
        try:
            return get_parsing_files(self)
        finally:
            del self.schedule_referencing_nodes_for_parsing

    PartialParsing.get_parsing_files = parse_only_what_read_changed_vars

    load = ManifestLoader.load

    def load_tracking(self):
        _state["loader"] = self
        try:
            manifest = load(self)
        finally:
            _state["loader"] = None
        _state["parsed_paths"] = self._perf_info.parsed_path_count
        entries_depend_on_their_nodes_vars(manifest)
        return manifest

    ManifestLoader.load = load_tracking
    check_against_full_parses()


def profile_without_path(config) -> list:
    return sorted((key, repr(value)) for key, value in config.credentials.connection_info() if key != "path")


# dbt_project.yml's configurations, rendered (with the vars) when the project is loaded, not per file
RENDERED_PROJECT_CONFIGS = (
    "models",
    "seeds",
    "snapshots",
    "sources",
    "data_tests",
    "unit_tests",
    "metrics",
    "semantic_models",
    "saved_queries",
    "exposures",
    "functions",
    "on_run_start",
    "on_run_end",
    "dispatch",
    "quoting",
    "query_comment",
)


def project_configs(config) -> str:
    return json.dumps(
        {name: getattr(config, name, None) for name in RENDERED_PROJECT_CONFIGS}, sort_keys=True, default=repr
    )


def remember_saved(loader, path: str) -> None:
    """After dbt saved a parse: it becomes the one a call with other vars (and the same rendered project
    configurations) starts from."""
    config = loader.root_project
    if not _state["installed"]:
        return
    if project_vars_are_scoped(config) or _state["untracked"]:
        _state["latest"].clear()
        return
    with open(path, "rb") as saved:
        data = saved.read()
    state = loader.manifest.state_check
    _state["latest"][project_configs(config)] = {
        "data": data,
        "profile": profile_without_path(config),
        "args": (getattr(config.args, "profile", None), getattr(config.args, "target", None)),
        "project_hashes": state.project_hashes,
        "project_env_vars_hash": state.project_env_vars_hash,
    }


def latest_for(loader):
    """The last parse saved by this process, made ready for dbt's partial parsing of this call, or None."""
    from dbt.parser.manifest import Manifest, extended_mashumuro_decoder

    config = loader.root_project
    latest = _state["latest"].get(project_configs(config))
    state = loader.manifest.state_check
    if (
        latest is None
        or not _state["installed"]
        or _state["no_reuse"]
        or project_vars_are_scoped(config)
        or latest["profile"] != profile_without_path(config)
        or latest["args"] != (getattr(config.args, "profile", None), getattr(config.args, "target", None))
        or latest["project_hashes"] != state.project_hashes
        or latest["project_env_vars_hash"] != state.project_env_vars_hash
    ):
        return None
    manifest = Manifest.from_msgpack(latest["data"], decoder=extended_mashumuro_decoder)
    manifest.state_check = state
    usable, _ = loader.is_partial_parsable(manifest)
    if not usable:
        return None
    from datetime import datetime, timezone

    from dbt_common.events.functions import get_invocation_id

    # as dbt does with a saved parse it uses
    manifest.metadata.generated_at = datetime.now(timezone.utc).replace(tzinfo=None)
    manifest.metadata.invocation_id = get_invocation_id()
    _state["reused"] = True
    return manifest


def comparable(manifest) -> dict:
    """What a parse produced: every enabled node, source, macro and unit test, as dicts without their
    creation times, and which nodes are disabled (those do not run, and dbt keeps some of them in its
    disabled list after a partial parse, disabled in its nodes after a full one)."""
    kinds = ("nodes", "sources", "macros", "unit_tests", "exposures", "metrics", "semantic_models", "groups")
    out = {}
    for kind in kinds:
        for unique_id, item in getattr(manifest, kind).items():
            data = item.to_dict(omit_none=True)
            if data.get("config", {}).get("enabled") is False:
                out[("disabled", unique_id)] = True
                continue
            data.pop("created_at", None)
            out[(kind, unique_id)] = data
    for unique_id in manifest.disabled:
        out[("disabled", unique_id)] = True
    return out


def check_against_full_parses() -> None:
    """Installed with the rest: while ``set_checking(True)`` holds, each parse that started from another
    call's is followed by a full one, which must give the same (the dbt call fails otherwise)."""
    from dbt.parser.manifest import ManifestLoader

    get_full_manifest = ManifestLoader.get_full_manifest.__func__

    def checked(cls, config, **kwargs):
        _state["reused"] = False
        manifest = get_full_manifest(cls, config, **kwargs)
        if not (_state["reused"] and _state["check"]):
            return manifest
        parsed = _state["parsed_paths"]
        _state["no_reuse"] = True
        try:
            full = get_full_manifest(cls, config, **kwargs)
        finally:
            _state["no_reuse"] = False
        _state["checked"].append((parsed, _state["parsed_paths"]))
        reused, fresh = comparable(manifest), comparable(full)
        differing = sorted(key for key in reused.keys() | fresh.keys() if reused.get(key) != fresh.get(key))
        if differing:
            details = []
            for key in differing[:12]:
                a, b = reused.get(key), fresh.get(key)
                if isinstance(a, dict) and isinstance(b, dict):
                    fields = sorted(f for f in a.keys() | b.keys() if a.get(f) != b.get(f))
                    details.append(f"{key}: {', '.join(fields)}: {[(a.get(f), b.get(f)) for f in fields][:3]}")
                else:
                    other = a if b is None else b
                    summary = {f: other.get(f) for f in ("config", "depends_on")} if isinstance(other, dict) else other
                    details.append(f"{key}: only in the {'reused' if b is None else 'full'} parse: {summary}"[:600])
            raise AssertionError(
                f"a parse started from another call's differs from a full parse in {len(differing)} item(s):\n"
                + "\n".join(details)
            )
        return manifest

    ManifestLoader.get_full_manifest = classmethod(checked)


def reuse_is_off() -> bool:
    """While a check's full parse runs, no saved parse is read."""
    return _state["no_reuse"]


def set_checking(on: bool) -> list[tuple[int, int]]:
    """Turns the check against full parses on or off; returns the list each checked parse adds to: the
    paths it parsed, and the paths the full parse did."""
    _state["check"] = on
    _state["checked"] = []
    return _state["checked"]


def forget_saved_parses() -> None:
    """No later call starts from a parse this process saved so far."""
    _state["latest"].clear()

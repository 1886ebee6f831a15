#!/usr/bin/env python3
# check-flatpak-manifest.py: checks build-aux/flatpak's manifest against the
# app it builds (id, permissions, modules), then has flatpak-builder read it
#
# Copyright 2026 The Dossier developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-flatpak-manifest.py MANIFEST DESKTOP_FILE METAINFO_FILE
# (the desktop file and metainfo as built, so their ids are meson's app_id)
"""Fails, saying why, when the Flatpak manifest asks for more than the app
needs or names something that is not there."""

import json
import pathlib
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

# Exactly what the app may have: the network for the providers, a display
# (Wayland, X11 only where there is no Wayland), the GPU. Files arrive through
# the document portal, so no --filesystem; no session or system bus names.
ALLOWED_FINISH_ARGS = {
    "--share=network",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
}
RUNTIME = ("org.gnome.Platform", "org.gnome.Sdk", "50")

errors = []


def fail(message):
    errors.append(message)


def check_sources(module, manifest_dir):
    name = module.get("name", "?")
    sources = module.get("sources")
    if not sources:
        fail(f"module {name} has no sources")
        return
    for source in sources:
        if isinstance(source, str):
            # a file holding more sources
            if not (manifest_dir / source).is_file():
                fail(f"module {name}: sources file {source} does not exist")
            continue
        kind = source.get("type")
        path = source.get("path")
        if kind == "dir":
            where = (manifest_dir / path).resolve()
            build = where / "meson.build"
            if not build.is_file():
                fail(f"module {name}: dir source {path} ({where}) has no meson.build")
            elif name == "dossier" and "project('dossier'" not in build.read_text():
                fail(f"module {name}: dir source {path} is not the Dossier tree")
        elif kind in ("file", "patch", "script") and path is not None:
            if not (manifest_dir / path).is_file():
                fail(f"module {name}: {kind} source {path} does not exist")
        elif kind in ("archive", "file", "git") and not (source.get("url") and
                                                          (source.get("sha256") or source.get("commit") or source.get("tag"))):
            fail(f"module {name}: {kind} source without url and checksum or commit")


def check_modules(modules, manifest_dir):
    for module in modules:
        if isinstance(module, str):
            # a module in a file of its own
            path = manifest_dir / module
            if not path.is_file():
                fail(f"module file {module} does not exist")
                continue
            module = json.loads(path.read_text())
        if not module.get("name"):
            fail("a module has no name")
        check_sources(module, manifest_dir)
        check_modules(module.get("modules", []), manifest_dir)


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    manifest_path = pathlib.Path(sys.argv[1]).resolve()
    desktop_path = pathlib.Path(sys.argv[2])
    metainfo_path = pathlib.Path(sys.argv[3])
    manifest_dir = manifest_path.parent

    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError) as e:
        print(f"not ok: {manifest_path.name} does not parse: {e}")
        return 1

    # one app id everywhere: manifest, its file name, desktop file, metainfo
    app_id = manifest.get("id") or manifest.get("app-id")
    if manifest_path.name != f"{app_id}.json":
        fail(f"manifest file {manifest_path.name} is not named after its id {app_id}")
    if desktop_path.name != f"{app_id}.desktop":
        fail(f"desktop file {desktop_path.name} does not match the app id {app_id}")
    desktop = desktop_path.read_text()
    if f"\nIcon={app_id}\n" not in desktop:
        fail(f"the desktop file's Icon is not {app_id}")
    root = ET.parse(metainfo_path).getroot()
    if root.findtext("id") != app_id:
        fail(f"metainfo id {root.findtext('id')} is not the manifest's {app_id}")
    if root.findtext("launchable") != f"{app_id}.desktop":
        fail(f"metainfo launchable {root.findtext('launchable')} is not {app_id}.desktop")

    runtime = (manifest.get("runtime"), manifest.get("sdk"), manifest.get("runtime-version"))
    if runtime != RUNTIME:
        fail(f"runtime, sdk, version are {runtime}, not {RUNTIME}")
    if manifest.get("command") != "dossier":
        fail(f"command is {manifest.get('command')}, not dossier")

    finish_args = manifest.get("finish-args", [])
    for arg in finish_args:
        if arg.startswith("--filesystem"):
            fail(f"finish-args grant file system access: {arg} (files come through the portal)")
        elif arg not in ALLOWED_FINISH_ARGS:
            fail(f"finish-args grant {arg}, which the app does not need")
    for arg in sorted(ALLOWED_FINISH_ARGS - set(finish_args)):
        fail(f"finish-args lack {arg}")

    modules = manifest.get("modules", [])
    check_modules(modules, manifest_dir)
    dossier = [m for m in modules if isinstance(m, dict) and m.get("name") == "dossier"]
    if len(dossier) != 1:
        fail("no single module named dossier")
    else:
        module = dossier[0]
        if module.get("buildsystem") != "meson":
            fail("the dossier module is not built with meson")
        if module.get("run-tests") is not True:
            fail("the dossier module does not run its tests (run-tests)")
        options = (manifest_dir / "../../meson_options.txt").resolve().read_text()
        for opt in module.get("config-opts", []):
            if opt.startswith("-D") and f"option('{opt[2:].split('=')[0]}'" not in options:
                fail(f"config-opts {opt}: no such option in meson_options.txt")

    # flatpak-builder reads it the way it will build it (build-aux/deps.sh
    # installs it); an unknown key is only a warning there, an error here
    builder = shutil.which("flatpak-builder")
    if builder is None:
        fail("flatpak-builder is not installed (build-aux/deps.sh installs it)")
    else:
        run = subprocess.run([builder, "--show-manifest", str(manifest_path)],
                             capture_output=True, text=True, timeout=60)
        if run.returncode != 0 or run.stderr.strip():
            fail(f"flatpak-builder --show-manifest: exit {run.returncode}: {run.stderr.strip()}")
        else:
            shown = json.loads(run.stdout)
            if shown.get("id") != app_id or shown.get("finish-args") != finish_args:
                fail("flatpak-builder --show-manifest reads a different id or finish-args")

    for message in errors:
        print(f"not ok: {message}")
    if errors:
        return 1
    print(f"ok: {manifest_path.name}: {app_id}, finish-args {' '.join(finish_args)}, "
          f"{len(modules)} module(s), read by flatpak-builder")
    return 0


if __name__ == "__main__":
    sys.exit(main())

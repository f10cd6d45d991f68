"""The project's own apps, found from INSTALLED_APPS: each may contribute a submodule by convention
(`api` with a `router`, `urls`, `roles` with `ROLE_PERMISSIONS`, `demo` with `load`)."""

import sysconfig
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from types import ModuleType

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import module_has_submodule


def project_app_modules(submodule: str) -> Iterator[ModuleType]:
    """Each project app's `submodule`, in INSTALLED_APPS order, for the apps that have one.

    Only the feature apps inside the project: not Wagtail's or Django's (which have `urls` modules of
    their own), nor the project package that mounts them (`portal`, home of ROOT_URLCONF)."""
    for config in apps.get_app_configs():
        if is_project_app(config) and module_has_submodule(config.module, submodule):
            yield import_module(f"{config.name}.{submodule}")


def is_project_app(config) -> bool:
    """A feature app of this project: inside the project folder, not an installed package (a
    virtualenv may live inside the project folder), and not the project package itself."""
    base_dir = Path(settings.BASE_DIR).resolve()
    installed = {Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib")}
    path = Path(config.path).resolve()
    ours = path.is_relative_to(base_dir) and not any(path.is_relative_to(lib) for lib in installed)
    # the project package: home of ROOT_URLCONF and of the WSGI application (a test may swap ROOT_URLCONF)
    project = {settings.ROOT_URLCONF.partition(".")[0], (settings.WSGI_APPLICATION or "").partition(".")[0]}
    return ours and config.name not in project

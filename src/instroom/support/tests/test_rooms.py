"""The support stage's services and views are packages by area; callers import them from the
package (`from instroom.support import services`), so every public name of an area must be
re-exported there."""

import importlib
import inspect
import pkgutil

import pytest

from instroom.support import services, views


@pytest.mark.parametrize("package", [services, views], ids=lambda p: p.__name__)
def test_every_public_function_of_an_area_is_reexported(package) -> None:
    missing = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for name, obj in vars(module).items():
            public = inspect.isfunction(obj) and not name.startswith("_")
            if public and obj.__module__ == module.__name__ and name not in package.__all__:
                missing.append(f"{info.name}.{name}")
            elif public and name in package.__all__:
                assert getattr(package, name) is obj, f"{package.__name__}.{name}"
    assert not missing, f"add to {package.__name__}/__init__.py: {missing}"


def test_the_areas_are_there() -> None:
    """The rooms the README names (a newcomer looks for them by these names)."""
    areas = {i.name for i in pkgutil.iter_modules(services.__path__)}
    assert {
        "contracts",
        "orientation",
        "meetings",
        "signals",
        "timeouts",
        "calendar",
        "daily",
        "retention",
    } <= areas
    areas = {i.name for i in pkgutil.iter_modules(views.__path__)}
    assert {"contracts", "orientation", "meetings", "signals", "timeouts", "calendar"} <= areas

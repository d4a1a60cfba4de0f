"""The benchmark harness imports the product, never the other way round."""

import ast
from pathlib import Path

import nabij

PRODUCT = Path(nabij.__file__).resolve().parent


def _imported_modules(source: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"), filename=str(source))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _dotted_path(node.value):
            # import_module("bench.x"), a settings string, an ASGI/WSGI path; a lone word ("bench" as a folder
            # name a product test skips) names no module of the harness.
            if "." in node.value or ":" in node.value:
                names.add(node.value)
    return names


def _dotted_path(text: str) -> bool:
    return bool(text) and all(part.isidentifier() for part in text.replace(":", ".").split("."))


def _imports_bench(name: str) -> bool:
    return name == "bench" or name.startswith("bench.")


def test_no_module_of_the_product_imports_the_bench_harness():
    offenders = sorted(
        f"{source.relative_to(PRODUCT.parent)}: {name}"
        for source in PRODUCT.rglob("*.py")
        for name in _imported_modules(source)
        if _imports_bench(name)
    )
    assert offenders == []


def test_the_import_check_recognises_an_import_of_the_harness(tmp_path):
    source = tmp_path / "module.py"
    source.write_text(
        "import os\nfrom bench.common import percentile\nimport bench\nfrom benchmarks import x\n"
        "ROOT_URLCONF = 'bench.urls'\nNOTE = 'a bench. run'\n"
    )
    found = sorted(name for name in _imported_modules(source) if _imports_bench(name))
    assert found == ["bench", "bench.common", "bench.urls"]


def test_a_folder_name_in_a_string_is_no_import_of_the_harness(tmp_path):
    source = tmp_path / "module.py"
    source.write_text('SKIPPED_PARTS = {"tests", "migrations", "bench"}\nWSGI = "bench.concurrent:make_application"\n')
    found = sorted(name for name in _imported_modules(source) if _imports_bench(name))
    assert found == ["bench.concurrent:make_application"]


def test_the_product_settings_do_not_install_the_bench_app(settings):
    assert not any(_imports_bench(app) for app in settings.INSTALLED_APPS)

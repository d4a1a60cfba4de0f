import pytest

from nabij.core import dashboard


@pytest.fixture
def isolated_panels(monkeypatch):
    monkeypatch.setattr(dashboard, "_panels", {})


def test_panels_without_anything_to_show_are_left_out(isolated_panels, rf):
    dashboard.register_home_panel(key="a", template="a.html", context=lambda request: None)
    dashboard.register_home_panel(key="b", template="b.html", context=lambda request: {"n": 1})

    assert dashboard.home_panels(rf.get("/")) == [{"template": "b.html", "panel": {"n": 1}}]


def test_panels_come_in_their_order_and_a_key_registers_once(isolated_panels, rf):
    dashboard.register_home_panel(key="late", template="late.html", context=lambda request: {}, order=50)
    dashboard.register_home_panel(key="early", template="early.html", context=lambda request: {}, order=10)
    dashboard.register_home_panel(key="early", template="early.html", context=lambda request: {}, order=10)

    assert [p["template"] for p in dashboard.home_panels(rf.get("/"))] == ["early.html", "late.html"]

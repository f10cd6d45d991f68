import pytest


@pytest.fixture
def demo(db):
    """The demo as `make run` loads it."""
    from django.core.management import call_command

    call_command("load_demo", force=True, stdout=open("/dev/null", "w"))

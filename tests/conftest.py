import pytest
from hypothesis import settings as hypothesis_settings

# Property tests judge correctness, not speed: no per-example deadline on a shared two-core machine.
hypothesis_settings.register_profile("portal", deadline=None)
hypothesis_settings.load_profile("portal")


@pytest.fixture
def demo(db):
    """The demo as `make run` loads it."""
    from django.core.management import call_command

    call_command("load_demo", force=True, stdout=open("/dev/null", "w"))

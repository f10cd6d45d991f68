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


@pytest.fixture(autouse=True)
def fresh_content_version():
    """A test's rolled-back pages must not leave their navigation cached for the next test: the cache is
    not rolled back with the database, so each test starts a content version of its own."""
    from content.base import content_version

    content_version.bump()

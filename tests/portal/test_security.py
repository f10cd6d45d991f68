"""Admin sign-in throttling (django-axes) and no open redirect through `next=`."""

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db

OFF_SITE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "https:evil.example",
    "\\\\evil.example",
    "http://testserver.evil.example/",
    " //evil.example",
]


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor1", password="right-pw-123", is_staff=True)
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.fixture
def axes_on(settings):
    from axes.models import AccessAttempt

    settings.AXES_ENABLED = True
    AccessAttempt.objects.all().delete()
    yield
    AccessAttempt.objects.all().delete()


def login(client, password, next_url=None, ip="10.0.0.5"):
    data = {"username": "editor1", "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post("/admin/login/", data, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_the_account_with_a_chinese_page(client, editor, axes_on, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "wrong").status_code == 200  # the form again, with its error
    locked = login(client, "wrong")
    assert locked.status_code == 429
    assert "登录尝试次数过多" in locked.content.decode()
    # Even the right password is refused while locked…
    again = login(client, "right-pw-123")
    assert again.status_code == 429 and "_auth_user_id" not in client.session
    # …from that address; another address can still sign in.
    assert login(client, "right-pw-123", ip="10.0.0.9").status_code == 302


def test_a_successful_sign_in_resets_the_count(client, editor, axes_on, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "wrong")
    assert login(client, "right-pw-123").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "wrong").status_code == 200


def test_the_lockout_messages_of_django_axes_are_chinese():
    from django.conf import settings

    with translation.override("zh-hans"):
        assert str(settings.AXES_COOLOFF_MESSAGE) == "账号已锁定：登录尝试次数过多，请稍后再试。"
        assert "管理员" in str(settings.AXES_PERMALOCK_MESSAGE)


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_never_redirects_off_site(client, editor, target):
    response = login(client, "right-pw-123", next_url=target)
    assert response.status_code == 302
    location = response["Location"]
    assert "evil.example" not in location


def test_login_follows_an_on_site_next(client, editor):
    response = login(client, "right-pw-123", next_url="/admin/pages/")
    assert response["Location"] == "/admin/pages/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_large_text_switch_never_redirects_off_site(client, target):
    response = client.post("/display/text-size/", {"size": "large", "next": target})
    assert response.status_code == 302 and "evil.example" not in response["Location"]

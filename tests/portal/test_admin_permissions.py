"""Every admin URL this project adds, against every demo role: only the roles that work there get a
page; everyone else is sent away (302 to the admin home or sign-in) or refused (403) — never a 200.

The URLs are discovered from the URL configuration (the project's admin views and its snippets'
viewsets), so a new admin screen without an entry in ALLOWED fails here until its roles are decided."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLResolver, get_resolver

PROJECT_LABELS = ("base", "facilities", "core_messages", "library", "campaigns", "contests", "targets",
                  "editorial", "portal_search")
ROLES = ("editor", "medical_reviewer", "organiser", "reviewer1")
EDITOR = {"editor"}  # the demo editor is also the 机构数据管理员
WRITERS = {"editor", "medical_reviewer"}
STAFF = {"editor", "medical_reviewer", "organiser"}
# URL prefix → the demo roles that may open it (docs/contests.md, docs/editors.md, docs/facilities.md).
ALLOWED = {
    "/admin/contests/": {"organiser"},
    "/admin/reviews/": {"reviewer1"},
    "/admin/snippets/contests/": {"organiser"},
    "/admin/facilities/import/": EDITOR,
    "/admin/snippets/facilities/": EDITOR,
    "/admin/snippets/portal_search/": EDITOR,
    "/admin/reports/searches": EDITOR,
    "/admin/snippets/base/": EDITOR,
    "/admin/snippets/core_messages/": WRITERS,
    "/admin/snippets/targets/": WRITERS,
    "/admin/targets/import/": WRITERS,
    "/admin/reports/overdue-review/": STAFF,  # reviewers have no part in the content
    "/admin/pinyin-slug/": set(ROLES),  # the slug helper of the page editor: no data of its own
}
NOT_A_PAGE = {"/admin/snippets/facilities/facilitycorrection/add/"}  # reports come from the public form only


def admin_urls():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            else:
                yield route, pattern

    found = set()
    for route, pattern in walk(get_resolver().url_patterns):
        if not route.startswith("admin/") or "<" in route or "(?P" in route:
            continue
        view = getattr(pattern.callback, "view_class", pattern.callback)
        module = getattr(view, "__module__", "") or ""
        if module.startswith(("content.", "search.", "portal.")) or any(
                f"snippets/{label}/" in route for label in PROJECT_LABELS):
            found.add("/" + route)
    return sorted(found)


def allowed_roles(url):
    matches = [prefix for prefix in ALLOWED if url.startswith(prefix)]
    assert matches, f"{url}: a new admin URL; decide which roles may open it (ALLOWED)"
    return ALLOWED[max(matches, key=len)]


def test_the_discovery_finds_the_projects_admin_screens():
    urls = admin_urls()
    for expected in ("/admin/contests/", "/admin/reviews/", "/admin/facilities/import/",
                     "/admin/snippets/facilities/facility/", "/admin/reports/overdue-review/"):
        assert expected in urls


@pytest.mark.django_db
def test_every_role_against_every_admin_url_the_project_adds(demo, client):
    users = {name: get_user_model().objects.get(username=name) for name in ROLES}
    wrong = []
    for url in admin_urls():
        allowed = allowed_roles(url)
        for role, user in users.items():
            client.force_login(user)
            status = client.get(url).status_code
            if status >= 500:
                wrong.append((url, role, status))
            elif role in allowed and url not in NOT_A_PAGE:
                if status != 200:
                    wrong.append((url, role, status, "should open"))
            elif status not in (302, 403):
                wrong.append((url, role, status, "should be refused"))
    assert not wrong, wrong


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in admin_urls():
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert "/admin/login/" in response["Location"], url

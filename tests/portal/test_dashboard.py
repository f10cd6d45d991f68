"""The 「待办」 dashboard panels (content/*/dashboard.py): each demo role signs in and finds its
waiting work on the admin home page, each line linking to the screen where the work is done."""

import re

from django.contrib.auth import get_user_model
from django.utils import timezone

from content.contests.entries import ReviewAssignment


def panels(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    found = {}
    panel = r'<section class="w-panel portal-waiting" id="waiting-([a-z-]+)".*?>(.*?)</section>'
    for name, body in re.findall(panel, html, re.S):
        sections = {}
        section = r'<h3 class="w-h4">(.*?)</h3>(.*?)(?=<h3 class="w-h4">|\Z)'
        for heading, rest in re.findall(section, body, re.S):
            title = re.sub(r"\s*<span.*", "", heading, flags=re.S).strip()
            sections[title] = re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', rest)
        found[name] = sections
    return found, html


def follow(client, links):
    """Every line opens its work screen."""
    for url, _title in links:
        assert client.get(url).status_code == 200, url


def test_each_demo_role_sees_what_is_waiting_for_it(demo, client):
    found, html = panels(client, "editor")
    editing = found["editor"]
    assert [t for _u, t in editing["医学审核退回的页面"]] == ["唐筛高风险之后怎么办（示例退回）"]
    assert "请补充参考来源和审核日期后再提交。" in html  # the reviewer's comment is on the line
    assert "孕期补碘要注意什么（示例草稿）" in [t for _u, t in editing["我的草稿"]]
    follow(client, editing["医学审核退回的页面"] + editing["我的草稿"])
    # The demo editor also keeps the facility list (机构数据管理员).
    facilities = found["facilities"]
    assert facilities["超过 180 天未核实的机构"] and facilities["60 天内到期的许可证"]
    follow(client, facilities["超过 180 天未核实的机构"][:1] + facilities["60 天内到期的许可证"][:1])

    found, html = panels(client, "medical_reviewer")
    review = found["medical-review"]
    assert [t for _u, t in review["等待我审核的页面"]] == ["新生儿足跟血筛查的流程（示例待审）"]
    assert review["已过复审日期的内容"]
    follow(client, review["等待我审核的页面"] + review["已过复审日期的内容"][:1])
    assert "editor" not in found and "contests" not in found

    found, html = panels(client, "organiser")
    contests = found["contests"]
    assert contests["评审数不足的作品"]
    follow(client, contests["评审数不足的作品"][:2])
    assert "overdue-review-title" not in html  # health-content review dates are not the organiser's work

    found, html = panels(client, "reviewer1")
    assert set(found) == {"reviews"}
    mine = found["reviews"]["分配给我、尚未评分的作品"]
    reviewer = get_user_model().objects.get(username="reviewer1")
    open_assignments = (ReviewAssignment.objects.filter(reviewer=reviewer, status="active")
                        .exclude(review__status="submitted"))
    assert len(mine) == open_assignments.count() > 0
    follow(client, mine)
    assert "待医学复审" not in html and "overdue-review-title" not in html


def test_an_overdue_assignment_shows_for_the_organiser(demo, client):
    assignment = ReviewAssignment.objects.filter(status="active").exclude(review__status="submitted").first()
    assignment.due_at = timezone.now() - timezone.timedelta(days=2)
    assignment.save()
    found, _html = panels(client, "organiser")
    due = found["contests"]["7 天内到期或已逾期的评审分配"]
    assert any(assignment.entry.code in title for _url, title in due)
    assert "已于" in _html and "逾期" in _html


def test_a_public_correction_report_waits_on_the_facility_managers_panel(demo, client):
    from content.facilities.records import Facility, FacilityCorrection

    facility = Facility.objects.order_by("pk").first()
    found, _html = panels(client, "editor")
    assert found["facilities"]["待处理的公众纠错报告"] == []
    report = FacilityCorrection.objects.create(facility=facility, field="phone", message="电话已经停用，打不通。")
    found, _html = panels(client, "editor")
    lines = found["facilities"]["待处理的公众纠错报告"]
    assert [title for _url, title in lines] == [str(report)]
    follow(client, lines)
    report.status = FacilityCorrection.RESOLVED
    report.save()
    found, _html = panels(client, "editor")
    assert found["facilities"]["待处理的公众纠错报告"] == []

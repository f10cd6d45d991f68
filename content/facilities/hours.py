"""Opening hours: read the forms Chinese facility lists use (「周一至周五 8:00-12:00，13:30-17:00」,
「周六上午」, 「节假日休息」, 「24小时」…) into structured data, say them in words, and tell whether a
facility is open at a given moment in Asia/Shanghai (法定节假日 and 调休 from `chinese_calendar`).

Structured form (Facility.hours, JSON): {"days": {"0": [["08:00", "12:00"], …], …} (0 = Monday),
"always": bool, "holidays": "closed" | "open" | None, "unparsed": [fragments]}."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY_CHARS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
DAY_NAMES = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
# What a half-day word means when no time is given (the usual outpatient sessions).
HALF_DAYS = {"上午": ("08:00", "12:00"), "早上": ("08:00", "12:00"), "下午": ("13:30", "17:00"),
             "全天": ("08:00", "17:00"), "白天": ("08:00", "17:00"), "晚上": ("18:00", "21:00")}

_DAY = r"(?:周|星期|礼拜)[一二三四五六日天七]"
_DAY_TAIL = r"[一二三四五六日天七]"
_RANGE = r"\s*(?:至|到|~|～|-|—|–|－)+\s*"
_TIME = r"(\d{1,2})(?:\s*[:：]\s*(\d{2})|\s*[点时](半|\d{1,2}分?)?)?"
TOKEN = re.compile(
    r"(?P<always>(?:全天)?24\s*小时(?:营业|开放|服务|门诊|急诊|接诊)?|全年无休|全天候)"
    r"|(?P<holiday_closed>(?:法定)?节假日(?:及周末)?(?:休息|不上班|闭诊|停诊|除外|不开放|不办公))"
    r"|(?P<holiday_open>(?:法定)?节假日(?:照常|正常)(?:上班|开放|门诊|营业|接诊)?)"
    r"|(?P<lunch>(?:午休|中午休息)\s*" + _TIME + _RANGE + _TIME + r")"
    r"|(?P<days>每天|每日|天天|工作日|周末|双休日|" + _DAY + r"(?:" + _RANGE + r"(?:周|星期|礼拜)?" + _DAY_TAIL
    + r")?(?:\s*[、,，和及]\s*(?:(?:周|星期|礼拜)?" + _DAY_TAIL + r"(?![:：\d点])))*)"
    r"|(?P<range>(?P<p1>上午|下午|早上|晚上|中午)?\s*" + _TIME + _RANGE
    + r"(?P<p2>上午|下午|晚上|中午)?\s*" + _TIME + r")"
    r"|(?P<closed>休息|闭诊|停诊|不开放|不上班|休诊)"
    r"|(?P<half>上午|下午|早上|全天|白天|晚上)"
    r"|(?P<filler>(?:门诊|开放|服务|营业|上班|工作|办公|接诊|咨询)(?:时间)?|时间|均可|照常|正常|开诊|[：:]|[\s，,、；;。．.（）()【】\[\]/和及与]+)"
)
FIELD_TIME = re.compile(_TIME)
KINDS = ("always", "holiday_closed", "holiday_open", "lunch", "days", "range", "closed", "half", "filler")


@dataclass
class OpeningHours:
    days: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    always: bool = False
    holidays: str | None = None  # "closed": 节假日休息; "open": 节假日照常
    unparsed: list[str] = field(default_factory=list)

    @property
    def known(self) -> bool:
        return self.always or bool(self.days)

    def to_json(self) -> dict:
        return {"days": {str(d): [list(p) for p in periods] for d, periods in sorted(self.days.items())},
                "always": self.always, "holidays": self.holidays, "unparsed": self.unparsed}

    @classmethod
    def from_json(cls, data: dict | None) -> OpeningHours:
        data = data or {}
        return cls(days={int(d): [tuple(p) for p in periods] for d, periods in (data.get("days") or {}).items()},
                   always=bool(data.get("always")), holidays=data.get("holidays"),
                   unparsed=list(data.get("unparsed") or []))

    # ------------------------------------------------------------ in words

    def describe(self) -> list[str]:
        """「周一至周五 08:00–12:00、13:30–17:00」 lines, consecutive days with the same hours together."""
        if self.always:
            lines = [_("Open 24 hours")]
        else:
            lines, day = [], 0
            while day < 7:
                periods = self.days.get(day)
                end = day
                while end + 1 < 7 and self.days.get(end + 1) == periods:
                    end += 1
                if periods:
                    names = DAY_NAMES[day] if end == day else f"{DAY_NAMES[day]}至{DAY_NAMES[end]}"
                    lines.append(f"{names} " + "、".join(f"{a}–{b}" for a, b in periods))
                day = end + 1
        if self.holidays == "closed":
            lines.append(_("Closed on public holidays"))
        elif self.holidays == "open":
            lines.append(_("Open as usual on public holidays"))
        return lines

    # ------------------------------------------------------------ open now

    def is_open(self, moment: datetime.datetime | None = None) -> bool | None:
        """True/False at `moment` (default: now) in Asia/Shanghai; None when the hours are not known."""
        if not self.known:
            return None
        if self.always:
            return True
        moment = (moment or datetime.datetime.now(SHANGHAI)).astimezone(SHANGHAI)
        weekday = moment.weekday()
        holiday, workday_swap = holiday_state(moment.date())
        if holiday and self.holidays == "closed":
            return False
        if workday_swap is not None:
            weekday = workday_swap  # 调休: a Saturday worked as a weekday keeps weekday hours
        now = moment.strftime("%H:%M")
        return any(opens <= now < closes for opens, closes in self.days.get(weekday, []))

    def schema_org(self) -> list[dict]:
        """schema.org openingHoursSpecification."""
        day_uri = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        if self.always:
            return [{"@type": "OpeningHoursSpecification", "dayOfWeek": day_uri, "opens": "00:00",
                     "closes": "23:59"}]
        return [{"@type": "OpeningHoursSpecification", "dayOfWeek": day_uri[day], "opens": opens, "closes": closes}
                for day, periods in sorted(self.days.items()) for opens, closes in periods]


def holiday_state(day: datetime.date) -> tuple[bool, int | None]:
    """(a public holiday, the weekday whose hours apply on a 调休 working weekend day or None)."""
    import chinese_calendar

    try:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
        if day.weekday() >= 5 and chinese_calendar.is_workday(day):
            return False, 0
    except NotImplementedError:  # a year the calendar does not cover yet: an ordinary week
        return False, None
    return bool(is_holiday and name), None


# ---------------------------------------------------------------- reading

def _hhmm(hour: str, minute: str | None, extra: str | None = None) -> tuple[int, int]:
    h = int(hour)
    m = int(minute) if minute else 0
    if extra:
        m = 30 if extra == "半" else int(re.sub(r"\D", "", extra) or 0)
    return h, m


def _period(m: re.Match) -> tuple[str, str] | None:
    g = m.groupdict()
    times = list(FIELD_TIME.finditer(m.group("range")))
    if len(times) < 2:
        return None
    h1, m1 = _hhmm(*times[0].groups())
    h2, m2 = _hhmm(*times[-1].groups())
    if g.get("p1") in ("下午", "晚上") and h1 < 12:
        h1 += 12
    if g.get("p2") in ("下午", "晚上") and h2 < 12:
        h2 += 12
    elif g.get("p1") in ("下午", "晚上") and h2 < 12:
        h2 += 12
    if h2 < h1 and h2 < 12:
        h2 += 12  # 8:00-5:00 → 17:00
    if h2 == 24 and m2 == 0:
        h2, m2 = 23, 59
    if not (0 <= h1 < 24 and 0 <= h2 < 24 and m1 < 60 and m2 < 60) or (h2, m2) <= (h1, m1):
        return None
    return f"{h1:02d}:{m1:02d}", f"{h2:02d}:{m2:02d}"


def _days(text: str) -> list[int]:
    if text in ("每天", "每日", "天天"):
        return list(range(7))
    if text == "工作日":
        return list(range(5))
    if text in ("周末", "双休日"):
        return [5, 6]
    body = re.sub(r"周|星期|礼拜", "", text)
    days: list[int] = []
    for part in re.split(r"\s*[、,，和及]\s*", body):
        bounds = [DAY_CHARS[c] for c in part if c in DAY_CHARS]
        if len(bounds) == 2 and re.search(_RANGE.strip(r"\s*"), part):
            a, b = bounds
            days += list(range(a, b + 1)) if a <= b else list(range(a, 7)) + list(range(0, b + 1))
        else:
            days += bounds
    return sorted(set(days))


def parse_hours(text: str) -> OpeningHours:
    """Read 开放时间 text. What cannot be read goes to `unparsed` (the import reports it)."""
    hours = OpeningHours()
    text = (text or "").strip()
    if not text:
        return hours
    current: list[int] | None = None
    current_has_times = False
    pending_days: list[int] = []
    position = 0

    def add(days: list[int], period: tuple[str, str]):
        for day in days:
            periods = hours.days.setdefault(day, [])
            if period not in periods:
                periods.append(period)
                periods.sort()

    for m in TOKEN.finditer(text):
        if m.start() > position:
            hours.unparsed.append(text[position:m.start()].strip())
        position = m.end()
        kind = next(k for k in KINDS if m.group(k) is not None)
        if kind == "always":
            hours.always = True
        elif kind == "holiday_closed":
            hours.holidays = "closed"
        elif kind == "holiday_open":
            hours.holidays = "open"
        elif kind == "days":
            if current is not None and not current_has_times:
                pending_days += current  # 「周一至周五、周六上午」: several groups before one time
            current, current_has_times = _days(m.group("days")), False
        elif kind == "range":
            period = _period(m)
            if period is None:
                hours.unparsed.append(m.group(0).strip())
                continue
            days = (current if current is not None else list(range(7))) + pending_days
            add(days, period)
            current_has_times, pending_days = True, []
        elif kind == "half":
            days = (current if current is not None else list(range(7))) + pending_days
            add(days, HALF_DAYS[m.group("half")])
            current_has_times, pending_days = True, []
        elif kind == "closed":
            for day in (current or []) + pending_days:
                hours.days.pop(day, None)
            current, current_has_times, pending_days = None, True, []
        elif kind == "lunch":
            times = list(FIELD_TIME.finditer(m.group("lunch")))
            a, b = _hhmm(*times[0].groups()), _hhmm(*times[-1].groups())
            if b[0] < a[0]:
                b = (b[0] + 12, b[1])
            lunch = (f"{a[0]:02d}:{a[1]:02d}", f"{b[0]:02d}:{b[1]:02d}")
            for day in current if current is not None else list(range(7)):
                hours.days[day] = _cut(hours.days.get(day, []), lunch)
    if position < len(text):
        hours.unparsed.append(text[position:].strip())
    if current is not None and not current_has_times and not hours.always:
        hours.unparsed.append(_("days without times: %(days)s") % {"days": "、".join(DAY_NAMES[d] for d in current)})
    hours.unparsed = [u for u in hours.unparsed if u]
    if hours.always:
        hours.days = {}
    return hours


def _cut(periods: list[tuple[str, str]], gap: tuple[str, str]) -> list[tuple[str, str]]:
    """Remove a lunch break from the periods it falls into."""
    result = []
    for opens, closes in periods:
        if opens < gap[0] < closes or opens < gap[1] < closes:
            if opens < gap[0]:
                result.append((opens, gap[0]))
            if gap[1] < closes:
                result.append((gap[1], closes))
        else:
            result.append((opens, closes))
    return result

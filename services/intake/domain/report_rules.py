"""Rules across the fields of a report (a pure function of the report and the time it is checked), and the
rule on its division codes (given the codes the gazetteer knows)."""

from datetime import date, datetime, timedelta

from services.intake.domain.report import Report
from shared.domain.ages import AgeFacts, age_agrees, age_on, birth_date_of
from shared.domain.moments import CLOCK_SKEW
from shared.domain.problems import FieldProblem
from shared.events import ReportedChild
from shared.identifiers import id_birth_date
from shared.timezones import CHINA

ADULT_AGE = 18
OLDEST_REPORT = timedelta(days=30)  # a call is forwarded within days; the setting is the intake's
DIVISION_FIELDS = ("division_code", "hukou_division_code")


def report_problems(
    report: Report, received_at: datetime, now: datetime, oldest: timedelta = OLDEST_REPORT
) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if received_at > now + CLOCK_SKEW:
        problems.append(FieldProblem("received_at", "future_date", "时间不能晚于当前时间"))
    elif received_at < now - oldest:
        message = f"来电时间不能早于{oldest.days}天前"
        problems.append(FieldProblem("received_at", "received_too_long_ago", message))
    report_day = received_at.astimezone(CHINA).date()  # a birthday falls on a China day
    child = report.child
    if child.birth_date is not None:
        problems += _birth_date_problems("child.birth_date", child.birth_date, report_day)
    if child.id_number is not None:
        id_birth = id_birth_date(child.id_number)
        problems += _birth_date_problems("child.id_number", id_birth, report_day)
        if child.birth_date is not None and id_birth != child.birth_date:
            problems.append(FieldProblem("child.birth_date", "birth_date_mismatch", "出生日期与身份证号码不一致"))
    problems += _age_problems(child, report_day)
    problems += _reporter_problems(report)
    return problems


def division_codes(child: ReportedChild) -> dict[str, str]:
    """The division codes the report gives, by field."""
    return {field: code for field in DIVISION_FIELDS if (code := getattr(child, field))}


def division_problems(child: ReportedChild, known: set[str]) -> list[FieldProblem]:
    """A code the gazetteer does not know would wait unrouted: refused while the caller is on the line."""
    return [
        FieldProblem(f"child.{field}", "unknown_division", "区划代码不存在（须为统计用区划代码中的乡镇或村）")
        for field, code in division_codes(child).items()
        if code not in known
    ]


def _birth_date_problems(field: str, born: date, report_day: date) -> list[FieldProblem]:
    if born > report_day:
        return [FieldProblem(field, "future_date", "出生日期不能晚于报告日期")]
    if age_on(born, report_day) >= ADULT_AGE:
        return [FieldProblem(field, "not_a_minor", "儿童须未满18周岁")]
    return []


def _age_problems(child: ReportedChild, report_day: date) -> list[FieldProblem]:
    born = birth_date_of(AgeFacts(child.id_number, child.birth_date))
    if child.age is None or born is None or born > report_day:
        return []
    if age_agrees(child.age, age_on(born, report_day)):
        return []
    return [FieldProblem("child.age", "age_mismatch", "年龄与出生日期不一致")]


def _reporter_problems(report: Report) -> list[FieldProblem]:
    reporter, identity = report.reporter, report.identity
    problems = []
    if reporter.anonymous and (identity.name or identity.phone):
        problems.append(FieldProblem("reporter.anonymous", "anonymous_with_identity", "匿名举报不应填写姓名或电话"))
    if reporter.anonymous and report.identity_shared:
        problems.append(
            FieldProblem("reporter.consents_to_share_identity", "anonymous_with_consent", "匿名举报不能同意公开身份")
        )
    if reporter.mandatory_reporter and reporter.institution_type is None:
        problems.append(FieldProblem("reporter.institution_type", "missing", "强制报告须填写报告单位类型"))
    return problems

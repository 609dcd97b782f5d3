"""Rules across the fields of a report (a pure function of the report and the time it is checked)."""

from datetime import date, datetime, timedelta

from services.intake.domain.report import Report
from shared.domain.problems import FieldProblem
from shared.identifiers import id_birth_date

ADULT_AGE = 18
CLOCK_SKEW = timedelta(minutes=5)


def report_problems(report: Report, received_at: datetime, now: datetime) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if received_at > now + CLOCK_SKEW:
        problems.append(FieldProblem("received_at", "future_date", "时间不能晚于当前时间"))
    report_day = received_at.date()
    child = report.child
    if child.birth_date is not None:
        problems += _birth_date_problems("child.birth_date", child.birth_date, report_day)
    if child.id_number is not None:
        id_birth = id_birth_date(child.id_number)
        problems += _birth_date_problems("child.id_number", id_birth, report_day)
        if child.birth_date is not None and id_birth != child.birth_date:
            problems.append(FieldProblem("child.birth_date", "birth_date_mismatch", "出生日期与身份证号码不一致"))
    problems += _reporter_problems(report)
    return problems


def _birth_date_problems(field: str, born: date, report_day: date) -> list[FieldProblem]:
    if born > report_day:
        return [FieldProblem(field, "future_date", "出生日期不能晚于报告日期")]
    if _age_on(born, report_day) >= ADULT_AGE:
        return [FieldProblem(field, "not_a_minor", "儿童须未满18周岁")]
    return []


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


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

"""How a referral ends, with the words a station reads and the words the hotline may read to the reporter
(nothing about the child or family)."""

from enum import StrEnum


class Outcome(StrEnum):
    RESOLVED = "resolved"
    SERVICES_ARRANGED = "services_arranged"
    TEMPORARY_GUARDIANSHIP = "temporary_guardianship"
    NO_RISK_FOUND = "no_risk_found"
    CHILD_NOT_FOUND = "child_not_found"
    HANDED_TO_POLICE = "handed_to_police"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def reporter_text(self) -> str:
        return _FOR_THE_REPORTER[self]


_LABELS = {
    Outcome.RESOLVED: "问题已解决",
    Outcome.SERVICES_ARRANGED: "已链接帮扶服务",
    Outcome.TEMPORARY_GUARDIANSHIP: "已落实临时监护",
    Outcome.NO_RISK_FOUND: "核实无风险",
    Outcome.CHILD_NOT_FOUND: "未找到儿童",
    Outcome.HANDED_TO_POLICE: "已移交公安机关",
}

_FOR_THE_REPORTER = {
    Outcome.RESOLVED: "您反映的情况已由属地未成年人保护工作站核实处理，问题已解决。",
    Outcome.SERVICES_ARRANGED: "您反映的情况已由属地未成年人保护工作站核实，并已链接相关帮扶服务。",
    Outcome.TEMPORARY_GUARDIANSHIP: "您反映的情况已由属地未成年人保护工作站核实，儿童已得到妥善照料。",
    Outcome.NO_RISK_FOUND: "您反映的情况已由属地未成年人保护工作站上门核实，未发现儿童面临风险。",
    Outcome.CHILD_NOT_FOUND: "属地未成年人保护工作站已开展核查，暂未找到相关儿童，将继续关注。",
    Outcome.HANDED_TO_POLICE: "您反映的情况已依法移交公安机关处理。",
}

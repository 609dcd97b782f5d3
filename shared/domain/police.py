"""What the police did after a station told them of a case (the 2020 mandatory-reporting opinion has them
feed back within 3 days), with the words a station reads. The police's own notes stay in referral."""

from enum import StrEnum


class PoliceFeedback(StrEnum):
    CASE_FILED = "case_filed"
    NOT_FILED = "not_filed"
    ATTENDED = "attended"
    TRANSFERRED = "transferred"
    INVESTIGATING = "investigating"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    PoliceFeedback.CASE_FILED: "已立案",
    PoliceFeedback.NOT_FILED: "不予立案",
    PoliceFeedback.ATTENDED: "已出警处置",
    PoliceFeedback.TRANSFERRED: "移交其他部门",
    PoliceFeedback.INVESTIGATING: "正在调查核实",
}

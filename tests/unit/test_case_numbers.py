"""Case numbers: the area's short name, the year and the area's sequence; pure rules on a small gazetteer."""

import re
from datetime import UTC, datetime

import pytest

from services.referral.domain.case_numbers import (
    CASE_NUMBER_PATTERN,
    HOTLINE_AREA,
    case_area,
    case_year,
    numbers_for,
    short_name,
)
from services.referral.domain.gazetteer import Division, Gazetteer
from shared.domain.divisions import DivisionLevel as L

GAZETTEER = Gazetteer(
    [
        Division("14", "山西省", L.PROVINCE),
        Division("1407", "晋中市", L.CITY),
        Division("140724", "昔阳县", L.COUNTY),
        Division("140724104", "大寨镇", L.TOWNSHIP),
        Division("44", "广东省", L.PROVINCE),
        Division("4420", "中山市", L.CITY),
        Division("442000001", "石岐街道", L.TOWNSHIP),
        Division("11", "北京市", L.PROVINCE),
        Division("1101", "市辖区", L.CITY),
        Division("110101", "东城区", L.COUNTY),
        Division("42", "湖北省", L.PROVINCE),
        Division("4290", "省直辖县级行政区划", L.CITY),
        Division("429004", "仙桃市", L.COUNTY),
        Division("22", "吉林省", L.PROVINCE),
        Division("2224", "延边朝鲜族自治州", L.CITY),
    ]
)


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("晋中市", "晋中"),
        ("中山市", "中山"),
        ("阿克苏地区", "阿克苏"),
        ("锡林郭勒盟", "锡林郭勒"),
        ("延边朝鲜族自治州", "延边"),
        ("黔东南苗族侗族自治州", "黔东南"),
        ("博尔塔拉蒙古自治州", "博尔塔拉"),
        ("广西壮族自治区", "广西"),
        ("新疆维吾尔自治区", "新疆"),
        ("内蒙古自治区", "内蒙古"),
        ("神农架林区", "神农架"),
        ("海南藏族自治州", "海南"),
    ],
)
def test_a_name_is_shortened_by_its_suffix_and_the_peoples_it_names(name, short):
    assert short_name(name) == short


@pytest.mark.parametrize(
    ("code", "area"),
    [
        ("140724104", "晋中"),
        ("140724104201", "晋中"),
        ("140724", "晋中"),
        ("442000001", "中山"),
        ("110101", "北京"),  # a municipality goes by its own name
        ("429004", "仙桃"),  # a county-level city under its province
        ("2224", "延边"),
        ("14", "山西"),
        ("140799", "晋中"),  # a county the gazetteer does not know: still in a known city
        ("5301", "热线"),
        (None, HOTLINE_AREA),
        ("not-a-code", HOTLINE_AREA),
    ],
)
def test_the_area_is_the_city_of_where_the_child_was_placed(code, area):
    assert case_area(GAZETTEER, code) == area


def test_numbers_count_on_within_each_area_and_year_and_read_as_people_say_them():
    wanted = [("晋中", 2026), ("中山", 2026), ("晋中", 2026)]
    numbers = numbers_for(wanted, {("晋中", 2026): 122, ("中山", 2026): 1})
    assert numbers == ["晋中-2026-000122", "中山-2026-000001", "晋中-2026-000123"]
    assert all(re.match(CASE_NUMBER_PATTERN, number) for number in numbers)


def test_the_year_is_the_china_day_of_the_first_report():
    assert case_year(datetime(2026, 12, 31, 17, 0, tzinfo=UTC)) == 2027  # 01:00 on 1 January in China

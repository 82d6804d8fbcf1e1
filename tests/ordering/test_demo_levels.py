"""The demo's levels: every demo offering can be ordered by some demo agency (issue 20: ten
offerings rated level 1 were out of every agency's reach)."""

from demo.data.catalogue.offerings import OFFERINGS
from demo.loader import COUNTY_BOARDS


def test_every_demo_offering_is_within_some_demo_agencys_levels():
    agencies = [(sec, avail) for _slug, _name, _headcount, sec, avail in COUNTY_BOARDS]
    unreachable = [
        row[0]
        for row in OFFERINGS
        if not any(row[3] >= sec and row[4] >= avail for sec, avail in agencies)
    ]
    assert unreachable == []


def test_work_by_central_staff_meets_every_level():
    work = {
        "klient-installation",
        "natverk-installation",
        "faltsupport-besok",
        "projektledning-timme",
        "projektledning-forstudie",
        "upphandling-timme",
        "upphandling-avrop",
    }
    assert {row[0]: row[3:5] for row in OFFERINGS if row[0] in work} == dict.fromkeys(work, (4, 4))

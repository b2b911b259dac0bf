"""The one real page we have: Noord-Holland Noord, first quarter 2021."""

from xlkp.checks import check_publication
from xlkp.parse import read_publication

SEED_ROWS = {
    "Alkmaar": ((114, 388, 844, 144), 1490),
    "Bergen NH": ((26, 30, 102, 26), 184),
    "Castricum": ((18, 41, 120, 21), 200),
    "Den Helder": ((7, 342, 476, 140), 965),
    "Drechterland": ((15, 25, 97, 31), 168),
    "Enkhuizen": ((18, 85, 178, 40), 321),
    "Heerhugowaard": ((37, 140, 399, 79), 655),
    "Heiloo": ((12, 42, 107, 19), 180),
    "Hollands Kroon": ((2, 89, 197, 56), 344),
    "Hoorn": ((92, 306, 646, 121), 1165),
    "Koggenland": ((15, 45, 96, 26), 182),
    "Langedijk": ((10, 44, 119, 28), 201),
    "Medemblik": ((41, 98, 261, 61), 461),
    "Opmeer": ((12, 17, 54, 15), 98),
    "Schagen": ((1, 64, 172, 70), 307),
    "Stede Broec": ((31, 41, 156, 47), 275),
    "Texel": ((0, 14, 50, 28), 92),
    "Uitgeest": ((5, 28, 61, 11), 105),
}


def test_seed_reads_exactly(seed_path):
    publication = read_publication(seed_path)
    [section] = publication.sections
    assert section.period == "2021-Q1"
    assert section.region == "Noord-Holland Noord"
    assert section.region_as_printed == "Noord-Holland (Noord)"
    assert section.footnote_region == "Noord-Holland Noord"
    assert section.columns is None
    assert section.pages == [1]
    assert {r.municipality: (r.values, r.total) for r in section.rows} == SEED_ROWS
    assert [r.municipality for r in section.rows] == list(SEED_ROWS)
    assert section.region_total.values == (456, 1839, 4135, 963)
    assert section.region_total.total == 7393
    assert section.register == 10187
    assert section.coverage_percent_printed == 73
    assert round(section.coverage, 4) == 0.7257


def test_seed_adds_up(seed_path):
    # Every figure adds up; the one page is one of 35 regions: a warning, no error.
    findings = check_publication(read_publication(seed_path))
    assert [(f.kind, f.severity, f.printed, f.computed) for f in findings] == [
        ("incomplete_publication", "warning", 1, 35)
    ]

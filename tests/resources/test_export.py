"""The CSV export: the filtered list, every column, and cells a spreadsheet will not run."""

from __future__ import annotations

import csv
import io

from tests.resources.conftest import add_resources


def parse(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.text)))


def test_csv_has_a_header_and_every_resource(app, world, login_as, base):
    add_resources(
        app,
        world.home,
        {
            "organization_name": "Bravo, Inc.",
            "service_type": "legal",
            "area_served": "Denver",
            "languages": "English",
            "hours": "24/7",
            "contact": "a@example.org",
            "website": "https://bravo.example.org/",
            "trafficking_specific": True,
            "notes": 'Line one\nsays "hello"',
        },
        {"organization_name": "Alpha", "service_type": "shelter"},
    )
    response = login_as().get(f"{base}.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{world.home.slug}-resources.csv"'
    assert parse(response) == [
        [
            "Organization",
            "Service type",
            "Area served",
            "Languages",
            "Hours",
            "Contact",
            "Website",
            "Funded for trafficking survivors",
            "Notes",
        ],
        ["Alpha", "Emergency shelter", "", "", "", "", "", "no", ""],
        [
            "Bravo, Inc.",
            "Legal services",
            "Denver",
            "English",
            "24/7",
            "a@example.org",
            "https://bravo.example.org/",
            "yes",
            'Line one\nsays "hello"',
        ],
    ]


def test_csv_honours_the_filters(app, world, login_as, base):
    add_resources(
        app,
        world.home,
        {"organization_name": "Legal A", "service_type": "legal", "languages": "Spanish", "trafficking_specific": True},
        {"organization_name": "Legal B", "service_type": "legal", "languages": "English"},
        {"organization_name": "Shelter C", "service_type": "shelter", "languages": "Spanish"},
    )
    client = login_as()

    def names(**query):
        return [row[0] for row in parse(client.get(f"{base}.csv", query_string=query))[1:]]

    assert names() == ["Legal A", "Legal B", "Shelter C"]
    assert names(service_type="legal") == ["Legal A", "Legal B"]
    assert names(language="spanish") == ["Legal A", "Shelter C"]
    assert names(trafficking="1") == ["Legal A"]
    assert names(q="shelter") == ["Shelter C"]
    assert names(q="nothing") == []


def test_csv_is_not_paginated(app, world, login_as, base):
    add_resources(app, world.home, *({"organization_name": f"Org {n:03d}"} for n in range(60)))
    assert len(parse(login_as().get(f"{base}.csv", query_string={"page": "2"}))) == 61


def test_csv_cells_cannot_run_as_formulas(app, world, login_as, base):
    add_resources(
        app,
        world.home,
        {
            "organization_name": '=HYPERLINK("http://evil.example","click")',
            "area_served": "+cmd|' /C calc'!A0",
            "languages": "-2+3",
            "hours": "@SUM(1,1)",
            "contact": "+1 303 555 0100",
            "notes": "fine = not a formula",
        },
    )
    [_header, row] = parse(login_as().get(f"{base}.csv"))
    assert row[0] == '\'=HYPERLINK("http://evil.example","click")'
    assert row[2] == "'+cmd|' /C calc'!A0"
    assert row[3] == "'-2+3"
    assert row[4] == "'@SUM(1,1)"
    assert row[5] == "'+1 303 555 0100"
    assert row[8] == "fine = not a formula"


def test_list_links_to_the_csv_with_the_current_filters(app, world, login_as, base):
    add_resources(app, world.home, {"organization_name": "Legal A", "service_type": "legal"})
    html = login_as().get(base, query_string={"service_type": "legal", "q": "a"}).text
    assert f'href="{base}.csv?q=a&amp;service_type=legal"' in html

"""Pure pieces of the directory rules: coverage, CSV cells, web addresses."""

from __future__ import annotations

import pytest

from partnership_hub.errors import ServiceError
from partnership_hub.formats import spreadsheet_cell
from partnership_hub.members.services import (
    CustomSectorRef,
    DirectoryRow,
    PBalance,
    clean_website,
    compute_coverage,
)


def row(org_id, name, sector_key=None, custom_sector_id=None, **ps):
    return DirectoryRow(org_id, name, sector_key=sector_key, custom_sector_id=custom_sector_id, **ps)


def by_key(coverage):
    flat = {}
    for s in coverage.sectors:
        flat[s.sector.key] = s
        for c in s.children:
            flat[c.sector.key] = c
    return flat


def test_no_organizations_means_every_sector_is_missing_and_no_ps():
    coverage = compute_coverage([])
    assert coverage.covered == []
    assert len(coverage.missing) == len(coverage.sectors) > 20
    assert coverage.percent == 0
    assert [p.count for p in coverage.p_balance] == [0, 0, 0, 0]
    assert not coverage.survivors_represented


def test_a_parent_is_covered_through_a_sub_area_but_its_other_sub_areas_stay_missing():
    coverage = compute_coverage([row(1, "Safe House", "dvs_domestic_violence")])
    sectors = by_key(coverage)
    parent = sectors["direct_victim_services"]
    assert parent.covered
    assert parent.organizations == []  # not placed in the parent itself...
    assert parent.all_organizations == ["Safe House"]  # ...but covered through the sub-area
    assert sectors["dvs_domestic_violence"].covered
    assert not sectors["dvs_sexual_assault"].covered
    assert "dvs_sexual_assault" in [c.sector.key for c in parent.missing_children]
    assert "direct_victim_services" not in [s.sector.key for s in coverage.missing]
    assert "law_enforcement" in [s.sector.key for s in coverage.missing]


def test_a_parent_placed_directly_is_covered_without_sub_areas():
    coverage = compute_coverage([row(1, "Union Hall", "unions_trade")])
    sectors = by_key(coverage)
    assert sectors["unions_trade"].covered
    assert not sectors["ut_agriculture"].covered


def test_covered_sectors_name_their_organizations_once_each_sorted():
    rows = [
        row(2, "police dept", "law_enforcement"),
        row(1, "County Sheriff", "law_enforcement"),
        row(1, "County Sheriff", "first_responders"),
    ]
    coverage = compute_coverage(rows)
    assert by_key(coverage)["law_enforcement"].organizations == ["County Sheriff", "police dept"]
    assert coverage.organization_count == 2
    assert len(coverage.covered) == 2
    assert coverage.percent == round(100 * 2 / len(coverage.sectors))


def test_p_balance_counts_each_organization_once_whatever_its_sector_count():
    rows = [
        row(1, "A", "law_enforcement", prevention=True, prosecution=True),
        row(1, "A", "legal_assistance", prevention=True, prosecution=True),
        row(2, "B", "healthcare", protection=True, prevention=True),
        row(3, "C"),  # no sector yet: still counts towards the balance
    ]
    balance = {p.key: p for p in compute_coverage(rows).p_balance}
    assert [p for p in balance] == ["prevention", "protection", "prosecution", "partnership"]
    assert balance["prevention"].count == 2
    assert balance["protection"].count == 1
    assert balance["prosecution"].count == 1
    assert balance["partnership"].count == 0
    assert balance["prevention"].percent == 67
    assert balance["prevention"].step == 70
    assert balance["partnership"].step == 0


def test_bar_steps_round_to_tens():
    assert PBalance("x", "X", 1, 4).step == 0
    assert PBalance("x", "X", 1, 5).step == 0  # banker's rounding at .5 is fine for a bar
    assert PBalance("x", "X", 1, 96).step == 100
    assert PBalance("x", "X", 1, 33).step == 30


def test_survivor_representation_comes_from_survivor_sectors_or_advisors():
    assert not compute_coverage([row(1, "A", "law_enforcement")]).survivors_represented

    led = compute_coverage([row(1, "Voices Rising", "survivor_led_orgs")])
    assert led.survivor_led_represented and led.survivors_represented
    assert [s.sector.key for s in led.survivor_sectors if s.covered] == ["survivor_led_orgs"]

    advisors = compute_coverage([row(1, "A", "law_enforcement")], survivor_advisors=2)
    assert not advisors.survivor_led_represented
    assert advisors.survivors_represented
    assert advisors.survivor_advisors == 2


def test_a_custom_sector_under_a_toolkit_sector_covers_it_and_unplaced_ones_are_listed():
    customs = [
        CustomSectorRef(7, "Anti-trafficking hotline", "direct_victim_services"),
        CustomSectorRef(8, "Faith leaders"),
    ]
    rows = [row(1, "Hotline Org", custom_sector_id=7), row(2, "Church", custom_sector_id=8)]
    coverage = compute_coverage(rows, customs)
    parent = by_key(coverage)["direct_victim_services"]
    assert parent.covered
    assert parent.organizations == ["Hotline Org"]
    assert parent.via_custom == ["Anti-trafficking hotline"]
    assert [(c.sector.name, c.organizations) for c in coverage.custom] == [("Faith leaders", ["Church"])]


def test_links_to_unknown_custom_sectors_are_ignored():
    coverage = compute_coverage([row(1, "A", custom_sector_id=99)])
    assert coverage.covered == []
    assert coverage.organization_count == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1 555", "'+1 555"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Safe House", "Safe House"),
        ("", ""),
        (None, ""),
    ],
)
def test_csv_cells_never_start_a_formula(value, expected):
    assert spreadsheet_cell(value) == expected


@pytest.mark.parametrize("good", ["https://example.org", "http://sub.example.org/path?q=1", "  https://x.org  "])
def test_web_addresses_accepted(good):
    assert clean_website(good) == good.strip()


@pytest.mark.parametrize(
    "bad",
    [
        "javascript:alert(1)",
        "ftp://example.org",
        "example.org",
        "https://",
        "https://localhost",
        "http://exa mple.org",
        "https://[::1",
        "https://example.org:99999",
        "https://example.org/" + "a" * 300,
    ],
)
def test_web_addresses_refused(bad):
    with pytest.raises(ServiceError) as error:
        clean_website(bad)
    assert error.value.field == "website"


def test_setup_facts_count_active_organizations_sectors_and_networks(app, world):
    from partnership_hub.extensions import db
    from partnership_hub.members import services
    from partnership_hub.workspaces.services import context_for
    from tests.factories import create_organization, seed_directory

    seed_directory(app, world.other)  # another partnership's rows must not count
    create_organization(app, world.home, "A", sectors=["law_enforcement", "survivor_led_orgs"])
    create_organization(app, world.home, "B", sectors=["law_enforcement"])
    create_organization(app, world.home, "C")
    with app.app_context():
        ctx = context_for(world.home.id, world.user("coordinator").id)
        archived = services.create_organization(ctx, services.OrganizationData(name="D", sectors=["healthcare"]))
        services.archive_organization(ctx, archived)
        services.create_linked_network(ctx, services.LinkedNetworkData(name="MDT", kind="mdt"))
        db.session.commit()
        assert services.setup_facts(ctx) == {
            "organizations": 3,
            "sectors_covered": 2,
            "survivor_sector_covered": True,
            "linked_networks": 1,
        }

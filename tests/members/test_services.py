"""Pieces of the directory rules: coverage (assembled from aggregated tallies, and the tallies
themselves against the database), CSV cells, web addresses."""

from __future__ import annotations

import pytest

from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.formats import spreadsheet_cell
from partnership_hub.members import services
from partnership_hub.members.services import (
    CUSTOM,
    NAMES_SHOWN,
    SECTOR,
    WITHIN,
    CustomSectorRef,
    Named,
    OrganizationTotals,
    PBalance,
    clean_website,
    compute_coverage,
)
from partnership_hub.workspaces.services import context_for
from tests.factories import create_custom_sector, create_organization, seed_directory


def by_key(coverage):
    flat = {}
    for s in coverage.sectors:
        flat[s.sector.key] = s
        for c in s.children:
            flat[c.sector.key] = c
    return flat


def named(*names):
    return Named(tuple(names), len(names))


# --- compute_coverage: pure, tallies in ---------------------------------------------------------


def test_no_organizations_means_every_sector_is_missing_and_no_ps():
    coverage = compute_coverage({})
    assert coverage.covered == []
    assert len(coverage.missing) == len(coverage.sectors) > 20
    assert coverage.percent == 0
    assert [p.count for p in coverage.p_balance] == [0, 0, 0, 0]
    assert not coverage.survivors_represented


def test_a_parent_is_covered_through_a_sub_area_but_its_other_sub_areas_stay_missing():
    tallies = {
        (SECTOR, "dvs_domestic_violence"): named("Safe House"),
        (WITHIN, "direct_victim_services"): named("Safe House"),
    }
    coverage = compute_coverage(tallies, totals=OrganizationTotals(1))
    sectors = by_key(coverage)
    parent = sectors["direct_victim_services"]
    assert parent.covered
    assert not parent.organizations  # not placed in the parent itself...
    assert parent.everyone.names == ("Safe House",)  # ...but covered through the sub-area
    assert sectors["dvs_domestic_violence"].covered
    assert not sectors["dvs_sexual_assault"].covered
    assert "dvs_sexual_assault" in [c.sector.key for c in parent.missing_children]
    assert "direct_victim_services" not in [s.sector.key for s in coverage.missing]
    assert "law_enforcement" in [s.sector.key for s in coverage.missing]


def test_a_sector_without_sub_areas_is_covered_by_its_own_tally():
    coverage = compute_coverage({(SECTOR, "law_enforcement"): named("County Sheriff", "police dept")})
    sector = by_key(coverage)["law_enforcement"]
    assert sector.covered and sector.everyone == sector.organizations
    assert sector.filter_value == "law_enforcement"
    assert len(coverage.covered) == 1
    assert coverage.percent == round(100 / len(coverage.sectors))


def test_p_balance_comes_from_the_totals():
    totals = OrganizationTotals(3, {"prevention": 2, "protection": 1, "prosecution": 1, "partnership": 0})
    balance = {p.key: p for p in compute_coverage({}, totals=totals).p_balance}
    assert [p for p in balance] == ["prevention", "protection", "prosecution", "partnership"]
    assert balance["prevention"].count == 2
    assert balance["prevention"].percent == 67
    assert balance["prevention"].step == 70
    assert balance["partnership"].step == 0


def test_bar_steps_round_to_tens():
    assert PBalance("x", "X", 1, 4).step == 0
    assert PBalance("x", "X", 1, 5).step == 0  # banker's rounding at .5 is fine for a bar
    assert PBalance("x", "X", 1, 96).step == 100
    assert PBalance("x", "X", 1, 33).step == 30


def test_survivor_representation_comes_from_survivor_sectors_or_advisors():
    assert not compute_coverage({(SECTOR, "law_enforcement"): named("A")}).survivors_represented

    led = compute_coverage({(SECTOR, "survivor_led_orgs"): named("Voices Rising")})
    assert led.survivor_led_represented and led.survivors_represented
    assert [s.sector.key for s in led.survivor_sectors if s.covered] == ["survivor_led_orgs"]

    advisors = compute_coverage({(SECTOR, "law_enforcement"): named("A")}, survivor_advisors=2)
    assert not advisors.survivor_led_represented
    assert advisors.survivors_represented
    assert advisors.survivor_advisors == 2


def test_covered_custom_sectors_under_a_toolkit_sector_are_named_and_unplaced_ones_are_listed():
    customs = [
        CustomSectorRef(7, "Anti-trafficking hotline", "direct_victim_services"),
        CustomSectorRef(8, "Faith leaders"),
        CustomSectorRef(9, "Unused", "direct_victim_services"),
    ]
    tallies = {
        (CUSTOM, "7"): named("Hotline Org"),
        (SECTOR, "direct_victim_services"): named("Hotline Org"),
        (WITHIN, "direct_victim_services"): named("Hotline Org"),
        (CUSTOM, "8"): named("Church"),
    }
    coverage = compute_coverage(tallies, customs)
    parent = by_key(coverage)["direct_victim_services"]
    assert parent.covered
    assert parent.via_custom == ["Anti-trafficking hotline"]
    [faith] = coverage.custom
    assert (faith.sector.name, faith.organizations.names, faith.filter_value) == (
        "Faith leaders",
        ("Church",),
        "custom-8",
    )


def test_named_says_how_many_more_there_are():
    assert Named(("A", "B"), 7).more == 5
    assert not Named() and Named(("A",), 1)


# --- the tallies, counted in the database -------------------------------------------------------


def tallies_of(app, world):
    with app.app_context():
        ctx = context_for(world.home.id, world.user("coordinator").id)
        result = services.sector_tallies(), services.sector_counts(), services.coverage(ctx)
        db.session.rollback()
        return result


def test_tallies_count_each_active_organization_once_per_group_and_name_the_first_few(app, world):
    seed_directory(app, world.other)  # another partnership's rows must not count
    hotline = create_custom_sector(app, world.home, "Hotlines", parent_key="direct_victim_services")
    faith = create_custom_sector(app, world.home, "Faith leaders")
    # In the parent, a sub-area and a custom sector under the parent at once: still one organization.
    create_organization(
        app, world.home, "Zeta", sectors=["direct_victim_services", "dvs_domestic_violence", f"custom-{hotline}"]
    )
    for n in range(NAMES_SHOWN + 2):
        create_organization(app, world.home, f"Org {n}", sectors=["dvs_sexual_assault"], ps=["prevention"])
    create_organization(app, world.home, "alpha", sectors=["dvs_domestic_violence", f"custom-{faith}"])
    create_organization(app, world.home, "No sector", ps=["prevention", "protection"])
    with app.app_context():
        ctx = context_for(world.home.id, world.user("coordinator").id)
        gone = services.create_organization(ctx, services.OrganizationData(name="Gone", sectors=["law_enforcement"]))
        services.archive_organization(ctx, gone)
        db.session.commit()

    tallies, counts, coverage = tallies_of(app, world)
    assert tallies[(WITHIN, "direct_victim_services")] == Named(("alpha", "Org 0", "Org 1", "Org 2", "Org 3"), 9)
    assert tallies[(SECTOR, "direct_victim_services")] == Named(("Zeta",), 1)  # itself and the custom sector under it
    assert tallies[(SECTOR, "dvs_domestic_violence")] == Named(("alpha", "Zeta"), 2)
    assert tallies[(CUSTOM, str(hotline))] == Named(("Zeta",), 1)
    assert tallies[(CUSTOM, str(faith))] == Named(("alpha",), 1)
    assert (SECTOR, "law_enforcement") not in tallies  # archived organizations don't count
    assert {key: n.count for key, n in tallies.items()} == counts

    assert coverage.organization_count == 10
    assert {p.key: p.count for p in coverage.p_balance}["prevention"] == NAMES_SHOWN + 3
    parent = by_key(coverage)["direct_victim_services"]
    assert parent.everyone.more == 4 and parent.via_custom == ["Hotlines"]
    assert [(c.sector.name, c.organizations.names) for c in coverage.custom] == [("Faith leaders", ("alpha",))]


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

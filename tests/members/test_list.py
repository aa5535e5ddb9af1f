"""The organization list: search as you type, filters, pagination, and the CSV export."""

from __future__ import annotations

import csv
import io

from tests.factories import create_custom_sector, create_organization


def names_in(response_text: str, candidates) -> list[str]:
    return [name for name in candidates if f">{name}</a>" in response_text]


def test_search_filters_by_name_and_service_area(app, world, coordinator, base):
    create_organization(app, world.home, "Safe Harbor Shelter", service_area="Denver")
    create_organization(app, world.home, "County Sheriff", service_area="Boulder County")
    create_organization(app, world.home, "100% Legal Aid")
    all_names = ["Safe Harbor Shelter", "County Sheriff", "100% Legal Aid"]

    assert names_in(coordinator.get(f"{base}/organizations?q=harbor").text, all_names) == ["Safe Harbor Shelter"]
    assert names_in(coordinator.get(f"{base}/organizations?q=BOULDER").text, all_names) == ["County Sheriff"]
    assert names_in(coordinator.get(f"{base}/organizations?q=100%25").text, all_names) == ["100% Legal Aid"]
    assert names_in(coordinator.get(f"{base}/organizations?q=%25").text, all_names) == ["100% Legal Aid"]
    assert "No organization matches" in coordinator.get(f"{base}/organizations?q=zzz").text


def test_htmx_requests_get_only_the_results_block_and_plain_gets_the_page(app, world, coordinator, base):
    create_organization(app, world.home, "Safe Harbor Shelter")
    partial = coordinator.get(f"{base}/organizations?q=safe", headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.text and "<h1" not in partial.text
    assert partial.text.strip().startswith('<section id="org-results"')
    assert "Safe Harbor Shelter" in partial.text
    assert "HX-Request" in partial.headers["Vary"]

    full = coordinator.get(f"{base}/organizations?q=safe")
    assert "<html" in full.text and full.text.count("<h1") == 1
    assert 'id="org-results"' in full.text
    assert 'hx-trigger="input changed delay:300ms, search"' in full.text
    assert 'hx-push-url="true"' in full.text
    assert 'value="safe"' in full.text  # the search box keeps what was typed


def test_filter_by_sector_includes_sub_areas_and_custom_sectors_beneath(app, world, coordinator, base):
    hotline = create_custom_sector(app, world.home, "Hotlines", parent_key="direct_victim_services")
    create_organization(app, world.home, "Parent Org", sectors=["direct_victim_services"])
    create_organization(app, world.home, "Child Org", sectors=["dvs_sexual_assault"])
    create_organization(app, world.home, "Custom Org", sectors=[f"custom-{hotline}"])
    create_organization(app, world.home, "Other Org", sectors=["law_enforcement"])
    names = ["Parent Org", "Child Org", "Custom Org", "Other Org"]

    dvs = coordinator.get(f"{base}/organizations?sector=direct_victim_services").text
    assert names_in(dvs, names) == ["Parent Org", "Child Org", "Custom Org"]
    assert names_in(coordinator.get(f"{base}/organizations?sector=dvs_sexual_assault").text, names) == ["Child Org"]
    assert names_in(coordinator.get(f"{base}/organizations?sector=custom-{hotline}").text, names) == ["Custom Org"]
    # A sector that names nothing is ignored rather than an error.
    unknown = coordinator.get(f"{base}/organizations?sector=custom-999999")
    assert unknown.status_code == 200 and names_in(unknown.text, names) == names


def test_filter_by_p_and_the_archived_toggle(app, world, coordinator, base):
    create_organization(app, world.home, "Prevention Org", ps=["prevention"])
    archived = create_organization(app, world.home, "Archived Prevention Org", ps=["prevention"])
    create_organization(app, world.home, "Prosecution Org", ps=["prosecution"])
    coordinator.post(f"{base}/organizations/{archived}/archive")
    names = ["Prevention Org", "Archived Prevention Org", "Prosecution Org"]

    assert names_in(coordinator.get(f"{base}/organizations?p=prevention").text, names) == ["Prevention Org"]
    with_archived = coordinator.get(f"{base}/organizations?p=prevention&archived=1").text
    assert names_in(with_archived, names) == ["Prevention Org", "Archived Prevention Org"]
    assert "Archived</span>" in with_archived
    assert names_in(coordinator.get(f"{base}/organizations?p=bogus").text, names) == [
        "Prevention Org",
        "Prosecution Org",
    ]


def test_pagination_has_a_fixed_page_size_and_links_that_keep_the_filters(app, world, coordinator, base):
    for n in range(30):
        create_organization(app, world.home, f"Org {n:02d}", ps=["protection"])
    first = coordinator.get(f"{base}/organizations?p=protection").text
    assert first.count('<th scope="row"') == 25
    assert "Showing 1–25 of 30." in first
    assert f'href="{base}/organizations?page=2&amp;p=protection"' in first

    second = coordinator.get(f"{base}/organizations?p=protection&page=2").text
    assert second.count('<th scope="row"') == 5
    assert ">Org 29</a>" in second and ">Org 00</a>" not in second
    assert "Showing 26–30 of 30." in second

    beyond = coordinator.get(f"{base}/organizations?page=99")
    assert beyond.status_code == 200 and "Showing 26–30 of 30." in beyond.text
    assert coordinator.get(f"{base}/organizations?page=abc").status_code == 200


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.text)))


def test_csv_export_lists_organizations_with_sectors_and_ps(app, world, coordinator, base):
    create_organization(
        app,
        world.home,
        "Safe Harbor",
        sectors=["dvs_domestic_violence", "healthcare"],
        ps=["protection", "prevention"],
        website="https://safeharbor.example.org",
        service_area="Denver",
    )
    response = coordinator.get(f"{base}/organizations.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{world.home.slug}-organizations.csv"'
    header, row = csv_rows(response)
    assert header[0] == "Name"
    record = dict(zip(header, row, strict=True))
    assert record["Name"] == "Safe Harbor"
    assert record["Status"] == "Active"
    assert record["Sectors"] == "Domestic violence; Healthcare Providers"
    assert record["Ps"] == "Prevention; Protection"
    assert record["Website"] == "https://safeharbor.example.org"


def test_csv_export_honours_the_filters(app, world, coordinator, base):
    create_organization(app, world.home, "Harbor One", ps=["prevention"])
    create_organization(app, world.home, "Harbor Two", ps=["prosecution"])
    create_organization(app, world.home, "Other", ps=["prevention"])
    rows = csv_rows(coordinator.get(f"{base}/organizations.csv?q=harbor&p=prevention"))
    assert [r[0] for r in rows[1:]] == ["Harbor One"]


def test_csv_export_neutralises_formulas(app, world, coordinator, base):
    create_organization(app, world.home, '=HYPERLINK("http://evil.example")', notes="+SUM(1)", service_area="@risk")
    org_id = create_organization(app, world.home, "-Minus Org")
    coordinator.post(f"{base}/organizations/{org_id}/representatives", data={"kind": "contact", "name": "=cmd"})
    header, *rows = csv_rows(coordinator.get(f"{base}/organizations.csv"))
    records = [dict(zip(header, row, strict=True)) for row in rows]
    by_name = {r["Name"]: r for r in records}
    assert set(by_name) == {'\'=HYPERLINK("http://evil.example")', "'-Minus Org"}
    evil = by_name['\'=HYPERLINK("http://evil.example")']
    assert evil["Notes"] == "'+SUM(1)" and evil["Service area"] == "'@risk"
    assert by_name["'-Minus Org"]["Representatives"] == "'=cmd"
    for record in records:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in record.values())

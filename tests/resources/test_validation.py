"""Bad input to the add and edit forms: a clear message at the field, 422, and nothing written."""

from __future__ import annotations

import pytest

from tests.resources.conftest import VALID, add_resources, audit_of, resources_of

BAD_INPUT = [
    ({"organization_name": ""}, "organization_name", "Enter the organization&#39;s name."),
    ({"organization_name": "   "}, "organization_name", "Enter the organization&#39;s name."),
    ({"organization_name": "x" * 161}, "organization_name", "Use at most 160 characters."),
    ({"service_type": "spaceship"}, "service_type", "Choose a type of service from the list."),
    ({"service_type": ""}, "service_type", "Choose a type of service from the list."),
    ({"website": "javascript:alert(1)"}, "website", "Enter a web address that starts with http:// or https://."),
    ({"website": "ftp://files.example.org"}, "website", "starts with http:// or https://"),
    ({"website": "not a url"}, "website", "starts with http:// or https://"),
    ({"website": "https://"}, "website", "starts with http:// or https://"),
    ({"website": "http://exa mple.org"}, "website", "starts with http:// or https://"),
    ({"website": "https://example.org:99999/"}, "website", "starts with http:// or https://"),
    ({"website": "https://" + "a" * 290 + ".org"}, "website", "Use at most 300 characters."),
    ({"area_served": "x" * 201}, "area_served", "Use at most 200 characters."),
    ({"languages": "x" * 201}, "languages", "Use at most 200 characters."),
    ({"hours": "x" * 201}, "hours", "Use at most 200 characters."),
    ({"contact": "x" * 301}, "contact", "Use at most 300 characters."),
    ({"notes": "x" * 4001}, "notes", "Use at most 4000 characters."),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_INPUT)
def test_bad_input_on_add_is_refused_at_the_field(app, world, login_as, base, change, field, message):
    response = login_as().post(f"{base}/new", data={**VALID, **change})
    assert response.status_code == 422
    assert message in response.text
    assert f'id="{field}-error"' in response.text  # shown at the field it concerns
    assert f'href="#{field}"' in response.text  # and linked from the summary
    assert resources_of(app, world.home) == []
    assert audit_of(app, world.home) == []


@pytest.mark.parametrize(("change", "field", "message"), BAD_INPUT)
def test_bad_input_on_edit_changes_nothing(app, world, login_as, base, change, field, message):
    [rid] = add_resources(app, world.home, {"organization_name": "Original", "service_type": "legal"})
    before = resources_of(app, world.home)
    response = login_as().post(f"{base}/{rid}/edit", data={**VALID, **change})
    assert response.status_code == 422
    assert message in response.text
    assert resources_of(app, world.home) == before
    assert audit_of(app, world.home) == []


def test_values_at_the_column_limits_are_accepted(app, world, login_as, base):
    data = {
        **VALID,
        "organization_name": "n" * 160,
        "area_served": "a" * 200,
        "contact": "c" * 300,
        "website": "https://" + "w" * 288 + ".org",
        "notes": "x" * 4000,
    }
    assert len(data["website"]) == 300
    assert login_as().post(f"{base}/new", data=data).status_code == 302
    assert resources_of(app, world.home)[0]["organization_name"] == "n" * 160


def test_text_is_trimmed_and_markup_is_shown_as_text(app, world, login_as, base):
    client = login_as()
    client.post(f"{base}/new", data={**VALID, "organization_name": "  <b>Bold</b> Org  "})
    [row] = resources_of(app, world.home)
    assert row["organization_name"] == "<b>Bold</b> Org"
    html = client.get(f"{base}/{row['id']}").text
    assert "&lt;b&gt;Bold&lt;/b&gt; Org" in html and "<b>Bold</b>" not in html


def test_form_errors_keep_what_was_typed(login_as, base):
    response = login_as().post(f"{base}/new", data={**VALID, "website": "nope", "hours": "Weekends only"})
    assert response.status_code == 422
    assert 'value="Weekends only"' in response.text
    assert 'aria-invalid="true"' in response.text

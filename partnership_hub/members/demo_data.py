"""Demo member directory: organizations across the toolkit's sectors (one survivor-led, one archived),
a custom sector, representatives and two linked networks.

The organizations are fictional; web addresses and contacts are placeholders (example.org,
555-01xx numbers)."""

from __future__ import annotations

from partnership_hub.context import WorkspaceContext
from partnership_hub.members import services
from partnership_hub.members.services import CustomSectorData, LinkedNetworkData, OrganizationData, RepresentativeData

CUSTOM_SECTOR = CustomSectorData(
    name="Transit and transportation",
    description="Bus, rail and rideshare operators whose staff can spot and report trafficking.",
)

ORGANIZATIONS: tuple[dict, ...] = (
    {
        "name": "Front Range Safe Harbor",
        "sectors": ["dvs_domestic_violence", "dvs_sexual_assault"],
        "ps": ["protection", "prevention"],
        "website": "https://safeharbor.example.org",
        "service_area": "Denver, Adams and Arapahoe counties",
        "notes": "Emergency shelter and 24-hour advocacy; takes referrals from law enforcement at any hour.",
    },
    {
        "name": "Denver Metro Police – Human Trafficking Unit",
        "sectors": ["law_enforcement"],
        "ps": ["prosecution", "protection"],
        "service_area": "City and County of Denver",
    },
    {
        "name": "Rocky Mountain Immigrant Legal Aid",
        "sectors": ["legal_assistance", "dvs_immigrant", "pm_immigrant_rights"],
        "ps": ["protection", "partnership"],
        "website": "https://rmila.example.org",
        "service_area": "Statewide",
        "notes": "T-visa and continued-presence applications; free consultations for survivors.",
    },
    {
        "name": "Voices of Freedom Colorado",
        "sectors": ["survivor_led_orgs", "survivor_advocates"],
        "ps": ["prevention", "partnership"],
        "website": "https://voicesoffreedom.example.org",
        "service_area": "Front Range",
        "notes": "Survivor-led. Peer mentoring and paid speaking engagements for survivor leaders.",
    },
    {
        "name": "Arapahoe County Child Welfare",
        "sectors": ["child_welfare_agency", "dvs_child_abuse"],
        "ps": ["protection"],
        "service_area": "Arapahoe County",
    },
    {
        "name": "Mile High Community Health Center",
        "sectors": ["healthcare"],
        "ps": ["protection", "prevention"],
        "website": "https://milehighhealth.example.org",
        "service_area": "Denver metro",
    },
    {
        "name": "Colorado Farmworker Alliance",
        "sectors": ["ut_agriculture", "pm_labor_rights"],
        "ps": ["prevention"],
        "service_area": "Weld and Larimer counties",
        "notes": "Know-your-rights trainings at farms and packing plants, in Spanish and English.",
    },
    {
        "name": "Street's Hope Outreach",
        "sectors": ["local_ngos", "dvs_homelessness"],
        "ps": ["protection", "prevention"],
        "website": "https://streetshope.example.org",
        "service_area": "Denver",
    },
    {
        "name": "Two Spirit Wellness Circle",
        "sectors": ["native_indigenous", "lgbtq_resources"],
        "ps": ["protection"],
        "service_area": "Front Range",
    },
    {
        "name": "RTD Transit Security",
        "sectors": ["custom"],
        "ps": ["prevention"],
        "service_area": "Regional Transportation District",
    },
    {
        "name": "18th Judicial District Probation",
        "sectors": ["probation"],
        "ps": ["prosecution"],
        "service_area": "Arapahoe, Douglas, Elbert and Lincoln counties",
        "archived": True,
    },
)

# organization name -> representatives: a demo person's key (a workspace member) or a contact.
REPRESENTATIVES: dict[str, tuple[dict, ...]] = {
    "Front Range Safe Harbor": (
        {"member": "priya.raman", "title": "Director of Advocacy"},
        {
            "name": "Rosa Delgado",
            "title": "Shelter manager",
            "email": "rosa@safeharbor.example.org",
            "phone": "303-555-0142",
        },
    ),
    "Denver Metro Police – Human Trafficking Unit": ({"member": "marcus.bell", "title": "Detective sergeant"},),
    "Voices of Freedom Colorado": (
        {"name": "Jordan Ames", "title": "Founder", "email": "jordan@voicesoffreedom.example.org"},
    ),
    "Rocky Mountain Immigrant Legal Aid": (
        {
            "name": "Mei Tanaka",
            "title": "Staff attorney",
            "email": "mtanaka@rmila.example.org",
            "phone": "720-555-0188",
        },
    ),
}

NETWORKS: tuple[LinkedNetworkData, ...] = (
    LinkedNetworkData(
        name="Metro Denver Child Advocacy MDT",
        kind="mdt",
        contact_name="Alex Romero",
        contact_email="mdt-coordinator@example.org",
        website="https://metrodenvermdt.example.org",
        relationship_notes="Our coordinators attend the monthly case review when a minor may have been trafficked.",
    ),
    LinkedNetworkData(
        name="Front Range Sexual Assault Response Team",
        kind="sart",
        contact_name="Kim Osei",
        contact_email="sart@example.org",
        relationship_notes="Shared training calendar; cross-referrals between SANE nurses and our advocates.",
    ),
)


def seed_directory(ctx: WorkspaceContext, users: dict) -> None:
    """Add the demo directory to the partnership in ``ctx`` (``users``: the demo people by key)."""
    custom = services.create_custom_sector(ctx, CUSTOM_SECTOR)
    memberships = {m.user_id: m.id for m in services.representative_candidates(ctx)}
    for spec in ORGANIZATIONS:
        sectors = [services.custom_value(custom.id) if key == "custom" else key for key in spec["sectors"]]
        data = OrganizationData(
            name=spec["name"],
            sectors=sectors,
            ps=spec["ps"],
            website=spec.get("website", ""),
            service_area=spec.get("service_area", ""),
            notes=spec.get("notes", ""),
        )
        organization = services.create_organization(ctx, data)
        for rep in REPRESENTATIVES.get(spec["name"], ()):
            if "member" in rep:
                rep_data = RepresentativeData(membership_id=memberships[users[rep["member"]].id], title=rep["title"])
            else:
                rep_data = RepresentativeData(**rep)
            services.add_representative(ctx, organization, rep_data)
        if spec.get("archived"):
            services.archive_organization(ctx, organization)
    for network in NETWORKS:
        services.create_linked_network(ctx, network)


def seed_demo(ctx: WorkspaceContext, people: dict) -> None:
    """The area's part of the demo: the directory (organizations, sectors, representatives, networks)."""
    seed_directory(ctx, people)

"""Demo entries for the resource map: organizations the Partnership Toolkit lists as funded to serve
trafficking survivors statewide in Colorado, plus general services on the Front Range.

Contacts and web addresses are placeholders (example.org, 555-01xx numbers): the demo must never
send anyone to a real intake line with made-up details."""

from __future__ import annotations

from partnership_hub.context import WorkspaceContext
from partnership_hub.extensions import db
from partnership_hub.resources.models import CommunityResource
from partnership_hub.resources.services import clean_resource_data

PLACEHOLDER_NOTE = "Demo entry: the contact details are placeholders."

RESOURCES: tuple[dict, ...] = (
    {
        "organization_name": "Colorado's Human Trafficking Hotline",
        "service_type": "hotline",
        "area_served": "Statewide",
        "languages": "English, Spanish; interpreters for other languages",
        "hours": "24/7",
        "contact": "Call or text (303) 555-0101 · hotline@example.org",
        "website": "https://hotline.example.org/",
        "trafficking_specific": True,
        "notes": "Takes tips, requests for services and questions about trafficking, and connects callers "
        "with local responders and service providers.",
    },
    {
        "organization_name": "Colorado Legal Services",
        "service_type": "legal",
        "area_served": "Statewide; offices in Denver, Boulder, Colorado Springs and Fort Collins",
        "languages": "English, Spanish",
        "hours": "Mon–Fri 8:30am–4:30pm",
        "contact": "Intake (303) 555-0102 · intake@legal.example.org",
        "website": "https://legal.example.org/",
        "trafficking_specific": True,
        "notes": "Civil legal help for survivors: protection orders, housing, public benefits, "
        "employment claims and clearing records.",
    },
    {
        "organization_name": "Rocky Mountain Immigrant Advocacy Network",
        "service_type": "immigration",
        "area_served": "Statewide",
        "languages": "English, Spanish, French",
        "hours": "Mon–Fri 9am–5pm",
        "contact": "(303) 555-0103 · referrals@rmian.example.org",
        "website": "https://rmian.example.org/",
        "trafficking_specific": True,
        "notes": "Free immigration legal services, including T and U visa applications and continued presence.",
    },
    {
        "organization_name": "Street's Hope",
        "service_type": "housing",
        "area_served": "Denver metro",
        "languages": "English, Spanish",
        "hours": "Mon–Fri 9am–5pm; residents supported 24/7",
        "contact": "(303) 555-0104 · outreach@streetshope.example.org",
        "website": "https://streetshope.example.org/",
        "trafficking_specific": True,
        "notes": "Residential and community-based programs for women leaving commercial sexual exploitation.",
    },
    {
        "organization_name": "TESSA",
        "service_type": "shelter",
        "area_served": "El Paso and Teller counties",
        "languages": "English, Spanish",
        "hours": "Safe line 24/7; office Mon–Fri 8am–5pm",
        "contact": "Safe line (719) 555-0105 · help@tessa.example.org",
        "website": "https://tessa.example.org/",
        "trafficking_specific": True,
        "notes": "Confidential safehouse, advocacy and counselling for survivors of domestic violence, "
        "sexual assault and trafficking in the Pikes Peak region.",
    },
    {
        "organization_name": "Asian Pacific Development Center",
        "service_type": "mental_health",
        "area_served": "Aurora and Denver metro",
        "languages": "English, Vietnamese, Korean, Mandarin, Cantonese, Burmese, Nepali",
        "hours": "Mon–Fri 8:30am–5pm",
        "contact": "(303) 555-0106 · intake@apdc.example.org",
        "website": "https://apdc.example.org/",
        "trafficking_specific": True,
        "notes": "Culturally responsive behavioural health and case management for Asian American, Pacific "
        "Islander, immigrant and refugee communities.",
    },
    {
        "organization_name": "COVA's Human Trafficking Program",
        "service_type": "case_management",
        "area_served": "Statewide",
        "languages": "English, Spanish",
        "hours": "Mon–Fri 9am–5pm",
        "contact": "(303) 555-0107 · trafficking@cova.example.org",
        "website": "https://cova.example.org/",
        "trafficking_specific": True,
        "notes": "Advocacy, emergency financial assistance and help navigating victim compensation.",
    },
    {
        "organization_name": "Front Range Community Health Center",
        "service_type": "medical",
        "area_served": "Denver and Adams counties",
        "languages": "English, Spanish, Amharic, Arabic",
        "hours": "Mon–Sat 7am–7pm",
        "contact": "Appointments (303) 555-0108",
        "website": "https://frontrange-health.example.org/",
        "trafficking_specific": False,
        "notes": "Sliding-scale primary care, dental and women's health. Walk-ins welcome in the mornings.",
    },
    {
        "organization_name": "Boulder County Recovery Services",
        "service_type": "substance_use",
        "area_served": "Boulder County",
        "languages": "English, Spanish",
        "hours": "Mon–Fri 8am–6pm; crisis line 24/7",
        "contact": "(303) 555-0109 · access@recovery.example.org",
        "website": "https://recovery.example.org/",
        "trafficking_specific": False,
        "notes": "Outpatient and residential treatment; same-week assessments for referrals from partners.",
    },
    {
        "organization_name": "Aurora Workforce Connection",
        "service_type": "employment",
        "area_served": "Arapahoe and Adams counties",
        "languages": "English, Spanish, Somali",
        "hours": "Mon–Thu 8am–5pm",
        "contact": "(303) 555-0110 · jobs@workforce.example.org",
        "website": "https://workforce.example.org/",
        "trafficking_specific": False,
        "notes": "Job search help, paid training and GED classes. Ask about trauma-informed employer partners.",
    },
    {
        "organization_name": "Mile High Language Access Cooperative",
        "service_type": "interpretation",
        "area_served": "Denver metro; by phone and video statewide",
        "languages": "Spanish, Vietnamese, Tigrinya, Dari, Pashto, Haitian Creole, Russian, ASL",
        "hours": "Mon–Fri 7am–9pm; on-call after hours",
        "contact": "Scheduling (720) 555-0111 · book@language.example.org",
        "website": "https://language.example.org/",
        "trafficking_specific": False,
        "notes": "Trained community interpreters for appointments, interviews and court.",
    },
    {
        "organization_name": "Survivor Voices Peer Circle",
        "service_type": "peer_support",
        "area_served": "Denver metro and online",
        "languages": "English, Spanish",
        "hours": "Tuesday evenings; online group on Saturdays",
        "contact": "circle@survivorvoices.example.org",
        "website": "https://survivorvoices.example.org/",
        "trafficking_specific": True,
        "notes": "Survivor-led support groups and mentoring. Self-referral welcome.",
    },
    {
        "organization_name": "Larimer County Youth Shelter",
        "service_type": "child_youth",
        "area_served": "Larimer County",
        "languages": "English, Spanish",
        "hours": "24/7",
        "contact": "(970) 555-0113",
        "website": "https://youthshelter.example.org/",
        "trafficking_specific": False,
        "notes": "Emergency shelter and drop-in services for young people aged 12 to 21.",
    },
)


def seed_resources(ctx: WorkspaceContext) -> int:
    """Add the demo resource map to the partnership bound in ``ctx``. Returns how many were added.

    Rows go in directly (validated like any other entry) rather than through ``create_resource``, so
    the demo's activity log starts with people's actions rather than a dozen seeded entries."""
    for data in RESOURCES:
        values = clean_resource_data(data)
        values["notes"] = f"{values['notes']} {PLACEHOLDER_NOTE}".strip()
        db.session.add(CommunityResource(partnership_id=ctx.partnership.id, **values))
    db.session.flush()
    return len(RESOURCES)


def seed_demo(ctx: WorkspaceContext, people: dict) -> None:
    """The area's part of the demo: the community resource map."""
    seed_resources(ctx)

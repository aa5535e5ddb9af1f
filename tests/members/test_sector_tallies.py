"""The sector tallies (the coverage page's counts and first names, the sectors page's counts) against
their plain definition on a mixed directory, and the link columns they read (each link's copy of its
organization's ``name_key`` and active flag, kept by the database: migration 0032)."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.engine.default import CACHE_HIT

from partnership_hub import toolkit
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.members import services
from partnership_hub.members.models import CustomSector, Organization
from partnership_hub.members.services import CUSTOM, FAMILIES, SECTOR, WITHIN, Named, TallyKey
from partnership_hub.workspaces.services import context_for
from tests.factories import create_custom_sector, seed_directory

TOP_OF = dict(FAMILIES)


def straightforward(app, partnership_id: int, limit: int) -> dict[TallyKey, Named]:
    """The definition, in Python over every organization: each active organization once per group —
    (SECTOR, key) for each toolkit sector it is in or a custom sector under it is, (WITHIN, top) for each
    family it is in, (CUSTOM, id) for each custom sector — named by (name_key, id)."""
    with app.app_context():
        bind_tenant(db.session, partnership_id)
        parents = {c.id: c.parent_key for c in db.session.scalars(select(CustomSector))}
        members: dict[TallyKey, set[tuple[str, int, str]]] = {}
        for organization in db.session.scalars(select(Organization).where(Organization.archived_at.is_(None))):
            me = (organization.name_key, organization.id, organization.name)
            for link in organization.sectors:
                key = link.sector_key or parents[link.custom_sector_id]
                groups = []
                if key is not None:
                    groups.append((SECTOR, key))
                    if key in TOP_OF:
                        groups.append((WITHIN, TOP_OF[key]))
                if link.custom_sector_id is not None:
                    groups.append((CUSTOM, str(link.custom_sector_id)))
                for group in groups:
                    members.setdefault(group, set()).add(me)
        db.session.rollback()
    return {
        group: Named(tuple(name for _key, _id, name in sorted(orgs)[:limit]), len(orgs))
        for group, orgs in members.items()
    }


def computed(app, partnership_id: int, limit: int) -> tuple[dict[TallyKey, Named], dict[TallyKey, int]]:
    with app.app_context():
        bind_tenant(db.session, partnership_id)
        result = services.sector_tallies(limit), services.sector_counts()
        db.session.rollback()
        return result


def seed_mixed_directory(app, partnership, rng: random.Random) -> None:
    """Organizations in 0–4 sectors each (parents and sub-areas of the same family, custom sectors under
    a family's parent, under a sector without sub-areas, and on their own), some archived, one of those
    restored, some renamed; created in shuffled order so ids do not follow names."""
    under_family = create_custom_sector(app, partnership, "Hotlines", parent_key="direct_victim_services")
    under_plain = create_custom_sector(app, partnership, "Tribal police", parent_key="law_enforcement")
    alone = create_custom_sector(app, partnership, "Faith leaders")
    choices = [sector.key for sector, _parent in toolkit.all_sectors()] + [
        f"custom-{custom}" for custom in (under_family, under_plain, alone)
    ]
    family = ["direct_victim_services", "dvs_domestic_violence", "dvs_sexual_assault", f"custom-{under_family}"]
    names = [f"{letter}org{n:02d}" for n, letter in enumerate("mqaxbkcwdlevfugthsiryjpzn" * 2)]
    rng.shuffle(names)
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        created = []
        for n, name in enumerate(names):
            pool = family if n % 3 == 0 else choices  # many in one family, to overlap within it
            sectors = rng.sample(pool, rng.randint(0, 4) if pool is choices else rng.randint(2, 4))
            created.append(services.create_organization(ctx, services.OrganizationData(name=name, sectors=sectors)))
        archived = rng.sample(created, 8)
        for organization in archived:
            services.archive_organization(ctx, organization)
        db.session.flush()
        services.restore_organization(ctx, archived[0])
        for organization in rng.sample(created, 6):  # to the front of the order (names keep clear of spaces
            sectors = [services.link_value(link) for link in organization.sectors]  # that collations skip)
            data = services.OrganizationData(name=f"aa{organization.name}", sectors=sectors)
            services.update_organization(ctx, organization, data)
        db.session.commit()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_tallies_are_the_straightforward_definition(app, world, seed):
    seed_directory(app, world.other)  # another partnership's rows must not count
    seed_mixed_directory(app, world.home, random.Random(seed))
    for limit in (1, services.NAMES_SHOWN):
        tallies, counts = computed(app, world.home.id, limit)
        expected = straightforward(app, world.home.id, limit)
        assert tallies == expected
        assert counts == {group: named.count for group, named in expected.items()}
    assert any(group[0] == WITHIN for group in expected) and any(group[0] == CUSTOM for group in expected)


def link_columns(app, partnership_id: int, organization_id: int) -> set[tuple[str, bool]]:
    with app.app_context():
        bind_tenant(db.session, partnership_id)
        rows = db.session.execute(
            text(
                "SELECT organization_name_key, organization_active FROM organization_sectors WHERE organization_id = :o"
            ),
            {"o": organization_id},
        ).all()
        db.session.rollback()
    return {(name_key, bool(active)) for name_key, active in rows}


def test_each_link_follows_its_organization_through_rename_archive_and_restore(app, world):
    custom = create_custom_sector(app, world.home, "Hotlines")
    with app.app_context():
        ctx = context_for(world.home.id, world.user("coordinator").id)
        data = services.OrganizationData(name="Safe  House", sectors=["law_enforcement", f"custom-{custom}"])
        organization_id = services.create_organization(ctx, data).id
        db.session.commit()
    assert link_columns(app, world.home.id, organization_id) == {("safe house", True)}

    with app.app_context():
        ctx = context_for(world.home.id, world.user("coordinator").id)
        organization = services.load_organization(ctx, organization_id)
        data = services.OrganizationData(name="Harbor", sectors=["law_enforcement", "healthcare"])
        services.update_organization(ctx, organization, data)  # renamed, and a link added in the same flush
        db.session.commit()
    assert link_columns(app, world.home.id, organization_id) == {("harbor", True)}

    for change, active in ((services.archive_organization, False), (services.restore_organization, True)):
        with app.app_context():
            ctx = context_for(world.home.id, world.user("coordinator").id)
            change(ctx, services.load_organization(ctx, organization_id))
            db.session.commit()
        assert link_columns(app, world.home.id, organization_id) == {("harbor", active)}


def test_a_link_written_directly_takes_its_organization_s_values(app, world):
    with app.app_context():
        ctx = context_for(world.home.id, world.user("coordinator").id)
        organization = services.create_organization(ctx, services.OrganizationData(name="Beacon"))
        services.archive_organization(ctx, organization)
        db.session.commit()
        organization_id = organization.id
        bind_tenant(db.session, world.home.id)
        db.session.execute(
            text(
                "INSERT INTO organization_sectors (partnership_id, organization_id, sector_key, "
                "organization_name_key, organization_active) VALUES (:p, :o, 'healthcare', 'zzz', :yes)"
            ),
            {"p": world.home.id, "o": organization_id, "yes": True},
        )
        db.session.commit()
    assert link_columns(app, world.home.id, organization_id) == {("beacon", False)}


def test_the_tallies_statements_are_compiled_once(app, world):
    """A construct SQLAlchemy cannot key (``values()`` is one) would compile the statement again at every
    page: several milliseconds of Python on the coverage page."""
    hits = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        hits.append(context.cache_hit)

    with app.app_context():
        bind_tenant(db.session, world.home.id)
        services.sector_tallies(), services.sector_counts()  # compiled (or already in the cache)
        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            services.sector_tallies(), services.sector_counts()
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
        db.session.rollback()
    assert hits == [CACHE_HIT, CACHE_HIT]

"""Streams for downloads: several statements open at once on one session (named cursors in one
transaction on PostgreSQL), read a batch at a time side by side, in one snapshot; and the merge
that hands each parent its children."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.members.models import Organization, OrganizationSector
from partnership_hub.streaming import Children, streams
from tests.factories import create_organization

SECTORS = ["law_enforcement", "healthcare", "dvs_domestic_violence"]


def _rows(*keys: int) -> list[SimpleNamespace]:
    return [SimpleNamespace(parent=key, n=n) for n, key in enumerate(keys)]


def test_children_are_handed_to_their_parents_in_order():
    children = Children(_rows(1, 1, 3, 4, 4, 4), "parent")
    handed = {parent: [row.n for row in children.of(parent)] for parent in (1, 2, 3, 4, 5)}
    assert handed == {1: [0, 1], 2: [], 3: [2], 4: [3, 4, 5], 5: []}
    children.finish()
    empty = Children([], "parent")
    assert empty.of(1) == []
    empty.finish()


def test_children_left_over_mean_the_streams_were_out_of_step():
    children = Children(_rows(2, 1), "parent")  # 1's child after 2's: not the parents' order
    assert [row.n for row in children.of(1)] == []
    assert [row.n for row in children.of(2)] == [0]
    with pytest.raises(RuntimeError, match="out of step"):
        children.finish()


@pytest.fixture
def directory(app, world):
    """Organizations with none, one, two and three sectors."""
    names = [f"Org {n}" for n in range(7)]
    for n, name in enumerate(names):
        create_organization(app, world.home, name, sectors=SECTORS[: n % 4])
    return world.home


def test_streams_are_read_side_by_side_a_batch_at_a_time(app, directory):
    order = (Organization.name_key, Organization.id)
    parents = select(Organization.id, Organization.name).order_by(*order)
    children = (
        select(OrganizationSector.organization_id, OrganizationSector.sector_key)
        .join(Organization, Organization.id == OrganizationSector.organization_id)
        .order_by(*order, OrganizationSector.sector_key)
    )
    with app.app_context():
        bind_tenant(db.session, directory.id)
        expected = {
            name: sorted(
                key
                for (key,) in db.session.execute(
                    select(OrganizationSector.sector_key).where(OrganizationSector.organization_id == org_id)
                )
            )
            for org_id, name in db.session.execute(parents)
        }
        db.session.rollback()
        merged = {}
        with streams(parents, children, size=2) as (found, links):  # batches smaller than either stream
            sectors_of = Children(links, "organization_id")
            for organization in found:
                merged[organization.name] = [link.sector_key for link in sectors_of.of(organization.id)]
            sectors_of.finish()
        assert merged == expected
        assert [len(keys) for keys in merged.values()] == [n % 4 for n in range(7)]


def test_streams_read_one_snapshot(app, directory):
    """What another connection commits while a download streams is not seen by its later statements:
    REPEATABLE READ on PostgreSQL, SQLite's transaction as it is."""
    with app.app_context():
        bind_tenant(db.session, directory.id)
        count = select(Organization.id)
        with streams(count) as (found,):
            if db.engine.dialect.name == "postgresql":
                level = db.session.execute(text("SHOW transaction_isolation")).scalar()
                assert level == "repeatable read"
            first = list(found)
            with Session(db.engine) as other:
                bind_tenant(other, directory.id)
                other.add(Organization(name="Newcomer", name_key="newcomer"))
                other.commit()
            assert len(db.session.execute(count).all()) == len(first) == 7
        db.session.rollback()
        assert len(db.session.execute(count).all()) == 8  # a new transaction sees it


def test_a_transaction_already_open_keeps_its_isolation(app, directory):
    with app.app_context():
        bind_tenant(db.session, directory.id)
        db.session.execute(select(Organization.id)).all()  # the transaction begins here
        with streams(select(Organization.id)) as (found,):
            assert len(list(found)) == 7
            if db.engine.dialect.name == "postgresql":
                level = db.session.execute(text("SHOW transaction_isolation")).scalar()
                assert level == "read committed"
        db.session.rollback()


def test_a_download_streams_in_one_snapshot(app, directory, login_as):
    """``csv_response`` streams in a fresh session, so the export's streams begin its transaction."""
    from sqlalchemy import event

    levels = []

    def _level(conn, cursor, statement, parameters, context, executemany):
        if "ORDER BY organizations.name_key" in statement:  # the export's three streams
            levels.append(conn.get_isolation_level())

    with app.app_context():
        engine = db.engine
    client = login_as("coordinator")
    event.listen(engine, "before_cursor_execute", _level)
    try:
        body = client.get(f"/p/{directory.slug}/organizations.csv").get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", _level)
    assert body.count("\r\n") == 8
    assert len(levels) == 3  # the organizations, their sectors, their representatives
    if engine.dialect.name == "postgresql":
        assert set(levels) == {"REPEATABLE READ"}, levels

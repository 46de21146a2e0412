"""Fixtures shared by the after-school programme and allocation tests."""

import pytest

from jianfu.afterschool.services.allocation_run import allocation_publish, allocation_run
from jianfu.afterschool.services.choosing import hardship_verify
from jianfu.afterschool.tests.alloc_fixtures import apply, close, course, open_choosing, programme


@pytest.fixture
def published(world, autumn_term):
    p = programme(world, autumn_term)
    football = course(world, p, "足球", 1)
    choir = course(world, p, "合唱", 20, category="art")
    open_choosing(world, p)
    app = apply(
        world.users["parent"],
        world.student,
        p,
        [football, choir],
        hardship_claimed=True,
        hardship_category="hardship",
    )
    hardship_verify(actor=world.users["academic"], programme_id=p.pk, application_id=app.pk, verified=True)
    close(world, p)
    allocation_run(actor=world.users["academic"], programme_id=p.pk, seed=5)
    allocation_publish(actor=world.users["academic"], programme_id=p.pk)
    return p, football, choir

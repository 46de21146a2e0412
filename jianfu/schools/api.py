from ninja import Router

from jianfu.schools.calendar.api import router as calendar_router
from jianfu.schools.roster.api import router as roster_router

router = Router(tags=["schools"])
router.add_router("/roster", roster_router)
router.add_router("/calendar", calendar_router)

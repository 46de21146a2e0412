from ninja import Router

from jianfu.schools.api_calendar import router as calendar_router
from jianfu.schools.api_roster import router as roster_router

router = Router(tags=["schools"])
router.add_router("/roster", roster_router)
router.add_router("/calendar", calendar_router)

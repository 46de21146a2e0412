"""Where the after-school API's sub-domains are mounted (config/api.py takes the two routers):
/api/v1/afterschool/ holds programmes, allocation and providers (programme/api.py) with the families'
and the district's endpoints (family/api.py) on the same prefix; /api/v1/afterschool/days/ holds
attendance and pickup (days/api.py) with the figures under /figures (figures/api.py)."""

from jianfu.afterschool.days.api import router as days_router
from jianfu.afterschool.family.api import router as family_router
from jianfu.afterschool.figures.api import router as figures_router
from jianfu.afterschool.programme.api import router

router.add_router("", family_router)
days_router.add_router("/figures", figures_router)

__all__ = ["days_router", "router"]

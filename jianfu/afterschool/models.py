"""After-school service (课后服务): "1+N" programmes, fair allocation, attendance, pickup.

Split by sub-topic (style.md): `programme` holds what a school offers and who got a place;
`attendance` holds what happens each day (sessions, attendance, pickup, duty).
"""

from jianfu.afterschool.attendance.models import (
    AttendanceRecord,
    AttendanceStatus,
    BasicSupervisor,
    Departure,
    PickupBooking,
    PickupSlot,
    ServiceSession,
    SessionCover,
    StaffDuty,
)
from jianfu.afterschool.collectors.models import PickupPerson, Relationship
from jianfu.afterschool.latejoin.models import LateJoinRequest, LateJoinStatus
from jianfu.afterschool.leave.models import LeaveRequest
from jianfu.afterschool.programme.models import (
    AllocationRun,
    Application,
    ApplicationChoice,
    Course,
    CourseCategory,
    CourseStatus,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    ExternalProvider,
    FamilyNotice,
    NoticeKind,
    Programme,
    ProgrammeStatus,
    ProviderKind,
    ProviderStaff,
    ServicePart,
    ServiceSlot,
    SubsidyCategory,
    SubsidyRule,
)

__all__ = [
    "AllocationRun",
    "Application",
    "ApplicationChoice",
    "AttendanceRecord",
    "AttendanceStatus",
    "BasicSupervisor",
    "Course",
    "CourseCategory",
    "CourseStatus",
    "Departure",
    "Enrolment",
    "EnrolmentSource",
    "EnrolmentStatus",
    "ExternalProvider",
    "FamilyNotice",
    "LateJoinRequest",
    "LateJoinStatus",
    "LeaveRequest",
    "NoticeKind",
    "PickupBooking",
    "PickupPerson",
    "PickupSlot",
    "Programme",
    "ProgrammeStatus",
    "ProviderKind",
    "ProviderStaff",
    "Relationship",
    "ServicePart",
    "ServiceSession",
    "ServiceSlot",
    "SessionCover",
    "StaffDuty",
    "SubsidyCategory",
    "SubsidyRule",
]

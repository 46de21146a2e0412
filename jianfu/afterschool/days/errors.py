"""Domain errors of the after-school days (attendance, pickup, duty, figures), with stable codes.

Every error names the field it is about (`field`), Chinese message first, so a page can show it
beside the input and an API client can branch on `code`.
"""

from __future__ import annotations

from jianfu.core.errors import DomainError


class DaysError(DomainError):
    NOT_SERVICE_DAY = "afterschool_not_service_day"
    NOT_YET = "afterschool_not_yet"
    NOT_IN_SESSION = "afterschool_not_in_session"
    STATUS_INVALID = "afterschool_status_invalid"
    SLOT_INVALID = "afterschool_slot_invalid"
    BOOKING_CLOSED = "afterschool_booking_closed"
    NOT_TAKING_PART = "afterschool_not_taking_part"
    TEACHER_INVALID = "afterschool_teacher_invalid"
    CLASS_INVALID = "afterschool_class_invalid"
    PROGRAMME_NOT_RUNNING = "afterschool_programme_not_running"
    DEPARTURE_INVALID = "afterschool_departure_invalid"
    COVER_INVALID = "afterschool_cover_invalid"
    TEACHER_BUSY = "afterschool_teacher_busy"
    PICKUP_AFTER_SERVICE = "afterschool_pickup_after_service"
    LEAVE_INVALID = "afterschool_leave_invalid"
    ON_LEAVE = "afterschool_on_leave"
    PICKUP_PERSON_INVALID = "afterschool_pickup_person_invalid"
    status = 422

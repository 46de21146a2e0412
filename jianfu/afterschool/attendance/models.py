"""What happens each service day: sessions and attendance, pickup bookings and departures, gate duty.

A ServiceSession is one meeting of a course (or of a class's basic-part group) on a date; staff take
attendance on a phone (AttendanceRecord, one per child). Families book a daily pickup slot
(弹性离校, e.g. 17:00 / 17:30 / 18:00: PickupSlot, PickupBooking); staff record departures
(Departure), late ones against the booking; StaffDuty is the gate/extended-care duty roster that the
bookings size. Hours per teacher, for subsidy, are computed from sessions taught and duties.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceSession(models.Model):
    """One meeting: a course on a date, or the basic part for one class on a date."""

    programme = models.ForeignKey("afterschool.Programme", on_delete=models.CASCADE, related_name="sessions")
    course = models.ForeignKey(
        "afterschool.Course", null=True, blank=True, on_delete=models.CASCADE, related_name="sessions"
    )
    school_class = models.ForeignKey(
        "schools.SchoolClass",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="the class whose basic-part group this is (course is empty)",
    )
    date = models.DateField()
    start = models.TimeField()
    end = models.TimeField()
    teacher = models.ForeignKey(
        "schools.Teacher", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider_staff = models.ForeignKey(
        "afterschool.ProviderStaff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    taken_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "date"], condition=models.Q(course__isnull=False), name="session_course_day"
            ),
            models.UniqueConstraint(
                fields=["programme", "school_class", "date"],
                condition=models.Q(course__isnull=True),
                name="session_basic_class_day",
            ),
        ]
        indexes = [models.Index(fields=["programme", "date"])]

    @property
    def minutes(self) -> int:
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("到")
    ABSENT = "absent", _("缺席")
    LEAVE = "leave", _("请假")
    LATE = "late", _("迟到")


class AttendanceRecord(models.Model):
    session = models.ForeignKey(ServiceSession, on_delete=models.CASCADE, related_name="records")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=AttendanceStatus.choices)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "student"], name="attendance_one_per_child_session"),
        ]


class PickupSlot(models.Model):
    """A pickup time families can book (弹性离校), e.g. 17:00, 17:30, 18:00."""

    programme = models.ForeignKey(
        "afterschool.Programme", on_delete=models.CASCADE, related_name="pickup_slots"
    )
    time = models.TimeField(_("离校时间"))
    label = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["programme", "time"]
        constraints = [models.UniqueConstraint(fields=["programme", "time"], name="pickup_slot_unique")]


class PickupBooking(models.Model):
    """A family's pickup time for a child on one date (one row per child per day)."""

    programme = models.ForeignKey(
        "afterschool.Programme", on_delete=models.CASCADE, related_name="pickup_bookings"
    )
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    slot = models.ForeignKey(PickupSlot, on_delete=models.PROTECT, related_name="bookings")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "date"], name="pickup_booking_one_per_day")]
        indexes = [models.Index(fields=["programme", "date"])]


class Departure(models.Model):
    """When a child left with the family, recorded by staff; late_minutes is against the booking."""

    programme = models.ForeignKey(
        "afterschool.Programme", on_delete=models.CASCADE, related_name="departures"
    )
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    left_at = models.DateTimeField()
    booking = models.ForeignKey(
        PickupBooking, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    late_minutes = models.PositiveSmallIntegerField(default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Who collected the child when it was not the family: a person the family named (decision 0052).
    pickup_person = models.ForeignKey(
        "afterschool.PickupPerson", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "date"], name="departure_one_per_day")]
        indexes = [models.Index(fields=["programme", "date"])]


class StaffDuty(models.Model):
    """A member of staff on duty for a pickup slot on a date (late slots are staffed from bookings)."""

    programme = models.ForeignKey("afterschool.Programme", on_delete=models.CASCADE, related_name="duties")
    slot = models.ForeignKey(PickupSlot, on_delete=models.CASCADE, related_name="duties")
    date = models.DateField()
    teacher = models.ForeignKey("schools.Teacher", on_delete=models.PROTECT, related_name="+")
    start = models.TimeField(help_text="duty starts when the service's last part ends")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["slot", "date", "teacher"], name="staff_duty_unique"),
        ]


class BasicSupervisor(models.Model):
    """Who supervises a class's basic part (基础托管) in a programme when the school office assigns
    someone other than the class's head teacher, who supervises by default
    (docs/decisions/0014-afterschool-days.md)."""

    programme = models.ForeignKey(
        "afterschool.Programme", on_delete=models.CASCADE, related_name="basic_supervisors"
    )
    school_class = models.ForeignKey("schools.SchoolClass", on_delete=models.CASCADE, related_name="+")
    teacher = models.ForeignKey("schools.Teacher", on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "school_class"], name="basic_supervisor_one_per_class"
            ),
        ]


class SessionCover(models.Model):
    """A one-day substitute (代课): another teacher of the school takes a course's meeting or a class's
    basic part on one date — the regular teacher is ill, on training, away. Set by the school office
    before or on the day; the session of that date is taken by the cover (created with them, or moved
    to them while nobody has taken attendance). The regular arrangement is unchanged for other days."""

    programme = models.ForeignKey("afterschool.Programme", on_delete=models.CASCADE, related_name="covers")
    date = models.DateField()
    course = models.ForeignKey(
        "afterschool.Course", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    school_class = models.ForeignKey(
        "schools.SchoolClass", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    teacher = models.ForeignKey("schools.Teacher", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("代课原因"), max_length=200)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(course__isnull=False, school_class__isnull=True)
                | models.Q(course__isnull=True, school_class__isnull=False),
                name="session_cover_course_or_class",
            ),
            models.UniqueConstraint(
                fields=["course", "date"],
                condition=models.Q(course__isnull=False),
                name="session_cover_course_day",
            ),
            models.UniqueConstraint(
                fields=["programme", "school_class", "date"],
                condition=models.Q(school_class__isnull=False),
                name="session_cover_class_day",
            ),
        ]
        indexes = [models.Index(fields=["programme", "date"]), models.Index(fields=["teacher", "date"])]

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles and the scope each is held at (domain.md, "People and what they may see")."""

    BUREAU_STAFF = "bureau_staff", _("教育局工作人员")
    INSPECTOR = "inspector", _("督学")
    CUSTODIAN = "custodian", _("举报保管人")
    PRINCIPAL = "principal", _("校长")
    ACADEMIC_AFFAIRS = "academic_affairs", _("教导处")
    HEAD_TEACHER = "head_teacher", _("班主任")
    SUBJECT_TEACHER = "subject_teacher", _("科任教师")
    PARENT = "parent", _("家长")


REGION_ROLES = frozenset({Role.BUREAU_STAFF, Role.INSPECTOR, Role.CUSTODIAN})
SCHOOL_ROLES = frozenset({Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS, Role.SUBJECT_TEACHER})
CLASS_ROLES = frozenset({Role.HEAD_TEACHER, Role.PARENT})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, phone: str, password: str | None = None, **extra: Any) -> User:
        if not phone:
            raise ValueError("phone is required")
        user = self.model(phone=phone, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, phone: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(phone, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with a mainland mobile number and a password."""

    phone = models.CharField(_("手机号"), max_length=11, unique=True)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    preferred_language = models.CharField(max_length=10, default="zh-hans")

    objects = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        from jianfu.core.masking import mask_phone

        return f"{self.name or gettext('用户')} ({mask_phone(self.phone)})"

    def held_roles(self) -> set[str]:
        """The roles this account holds, wherever (one query). Sign-in decides from them alone whether
        the account is staff; which schools, classes and pupils a role reaches is
        jianfu.schools.access's business."""
        return set(self.memberships.values_list("role", flat=True))


class Membership(models.Model):
    """A role held by a user at one scope: a region, a school, or a class.

    Region roles (bureau staff, inspector, complaint custodian) see their region and everything
    below it; school roles see their school; class roles see one class. Subject teachers are scoped
    to their school here and narrowed to the classes they teach by schools.TeachingAssignment.
    Parents are scoped to their child's class and narrowed to their own children by Guardian.user.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        "schools.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    school_class = models.ForeignKey(
        "schools.SchoolClass", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="membership_exactly_one_scope",
                condition=(
                    models.Q(region__isnull=False, school__isnull=True, school_class__isnull=True)
                    | models.Q(region__isnull=True, school__isnull=False, school_class__isnull=True)
                    | models.Q(region__isnull=True, school__isnull=True, school_class__isnull=False)
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=models.Q(region__isnull=False),
                name="membership_unique_region",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "school"],
                condition=models.Q(school__isnull=False),
                name="membership_unique_school",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "school_class"],
                condition=models.Q(school_class__isnull=False),
                name="membership_unique_class",
            ),
        ]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()}"


class OneTimeCode(models.Model):
    """A code sent by SMS to activate a parent account. Only a hash of the code is stored."""

    phone_digest = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=128)
    purpose = models.CharField(max_length=32, default="activate")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.purpose} code ({'used' if self.used_at else 'open'})"


class LoginFailure(models.Model):
    """One failed sign-in, kept for the throttle window. Keys are digests, never a phone in clear."""

    key = models.CharField(max_length=80, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"login failure at {self.created_at:%Y-%m-%d %H:%M}"


class TotpDevice(models.Model):
    """A staff member's authenticator app (two-step sign-in; jianfu.accounts.rules.totp).

    Unconfirmed until the first code from the app is entered, so a secret shown but never set up does
    not lock anyone out. `last_step` is the last code's time step accepted: a code is good once.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=-1)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"two-step sign-in ({'on' if self.confirmed_at else 'being set up'})"


class RecoveryCode(models.Model):
    """A single-use code for signing in when the phone with the app is lost. Only a hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=128)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"recovery code ({'used' if self.used_at else 'open'})"


class Session(AbstractBaseSession):
    """Django's database session with the signed-in user's id in a column of its own.

    Every signed-in request reads its session and then its user; with the id beside the data, both
    come in one statement (jianfu.accounts.middleware.sessions). It also lets every session of one
    account be ended at once. Set from the session data each time the session is saved.
    """

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    @classmethod
    def get_session_store_class(cls) -> Any:
        from jianfu.accounts.middleware.sessions import SessionStore

        return SessionStore

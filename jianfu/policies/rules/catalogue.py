"""The rule catalogue: every national rule in policy-defaults.md §2.1–2.11 as data.

Rule ids are the public vocabulary (findings, the what-if API, tests). Each parameter is addressed
as "<rule_id>.<name>" and says how a local profile may change it: only stricter (`max`, `min`,
`latest`, `earliest`, `required`), or freely because it is local by nature (`local`).
Profile settings from policy-defaults.md §4 live under "settings.<name>".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from jianfu.policies.rules.sources import DOCUMENTS

Strictness = Literal["hard", "guidance"]
Direction = Literal["max", "min", "latest", "earliest", "required", "local"]

# Rule families, as the policy page groups the rules.
FAMILIES: dict[str, Any] = {
    "homework": _("作业总量"),
    "teacher_practice": _("作业布置与批改"),
    "exams": _("考试与评价"),
    "sleep_schedule": _("睡眠与作息"),
    "after_school": _("课后服务"),
    "pe": _("体育、课间与视力"),
    "phones": _("手机管理"),
    "reading": _("读物与教辅"),
    "curriculum": _("课程与课时"),
    "in_school_time": _("在校时间"),
    "training": _("校外培训"),
}

# policy-defaults.md §1, the source register: the documents' own titles (jianfu.policies.rules.sources),
# and local rules, which have none.
SOURCES: dict[str, Any] = {**DOCUMENTS, "local": _("地方规定（本地配置）")}


@dataclass(frozen=True)
class Param:
    name: str
    default: Any
    direction: Direction
    unit: Any = ""  # a catalogue message (gettext_lazy), or "" for none
    label: Any = ""  # a catalogue message (gettext_lazy)

    def key(self, rule_id: str) -> str:
        return f"{rule_id}.{self.name}"

    @property
    def label_zh(self) -> str:
        return _in("zh-hans", self.label)


def _in(language: str, message: Any) -> str:
    """A catalogue message in one language, whatever the active one."""
    with translation.override(language):
        return str(message)


@dataclass(frozen=True)
class Rule:
    id: str
    family: str
    # The rule's title and scope as people read them: catalogue messages (gettext_lazy), rendered in
    # the active language by `title` and `scope`.
    name: Any
    scope_text: Any
    strictness: Strictness
    sources: tuple[str, ...]
    verification: str
    evaluable: bool = True
    params: tuple[Param, ...] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        """The title in the active language (the page's, or the API caller's)."""
        return str(self.name)

    @property
    def title_zh(self) -> str:
        return _in("zh-hans", self.name)

    @property
    def title_en(self) -> str:
        return _in("en", self.name)

    @property
    def scope(self) -> str:
        return str(self.scope_text)

    @property
    def scope_zh(self) -> str:
        return _in("zh-hans", self.scope_text)

    @property
    def message(self) -> str:
        """A rule quoted inside a message reads as its title."""
        return self.title

    @property
    def severity(self) -> str:
        return "violation" if self.strictness == "hard" else "warning"

    @property
    def source_text(self) -> str:
        return "；".join(str(SOURCES.get(s, s)) for s in self.sources)


def _r(
    id: str,
    family: str,
    title: Any,
    scope: Any,
    strictness: Strictness,
    sources: tuple[str, ...],
    verification: str = "V2",
    *params: Param,
    evaluable: bool = True,
) -> Rule:
    return Rule(id, family, title, scope, strictness, sources, verification, evaluable, tuple(params))


P = Param
RULES: tuple[Rule, ...] = (
    # §2.1 Homework volume
    _r(
        "hw_written_at_home_g1_2",
        "homework",
        _("一二年级不布置家庭书面作业"),
        _("小学一、二年级"),
        "hard",
        ("dr_opinion_2021", "hw_notice_2021"),
    ),
    _r(
        "hw_written_daily_avg_max_g3_6",
        "homework",
        _("小学三至六年级书面作业平均完成时间不超过60分钟"),
        _("小学三年级及以上"),
        "hard",
        ("dr_opinion_2021", "hw_notice_2021"),
        "V2",
        P("max_minutes", 60, "max", _("分钟"), _("每日上限")),
    ),
    _r(
        "hw_written_daily_avg_max_g7_9",
        "homework",
        _("初中书面作业平均完成时间不超过90分钟"),
        _("初中"),
        "hard",
        ("dr_opinion_2021", "hw_notice_2021"),
        "V2",
        P("max_minutes", 90, "max", _("分钟"), _("每日上限")),
    ),
    _r(
        "hw_weekend_holiday_total_controlled",
        "homework",
        _("周末、节假日、寒暑假控制书面作业总量"),
        _("全学段"),
        "guidance",
        ("hw_notice_2021",),
        "V2",
        P("max_minutes_per_day", None, "max", _("分钟"), _("每日上限（国家未规定，空表示仅提示）")),
        P(
            "max_minutes_per_period",
            None,
            "max",
            _("分钟"),
            _("连续休息日合计上限（国家未规定，空表示不查）"),
        ),
    ),
    _r(
        "hw_senior_high_reasonable",
        "homework",
        _("高中合理安排作业时间"),
        _("高中"),
        "guidance",
        ("hw_notice_2021",),
        "V2/R",
        evaluable=False,
    ),
    _r(
        "hw_in_school_completion",
        "homework",
        _("小学生在校内基本完成书面作业，初中生在校内完成大部分"),
        _("小学、初中"),
        "guidance",
        ("sleep_notice_2021", "dr_opinion_2021"),
        evaluable=False,
    ),
    _r(
        "hw_bedtime_overrides_homework",
        "homework",
        _("到就寝时间仍未完成作业的应按时就寝"),
        _("全体学生"),
        "guidance",
        ("sleep_notice_2021",),
        evaluable=False,
    ),
    _r(
        "hw_difficulty_max_curriculum_standard",
        "homework",
        _("作业难度不超国家课程标准"),
        _("全学段"),
        "hard",
        ("dr_opinion_2021",),
        evaluable=False,
    ),
    _r(
        "hw_grade_subject_coordination",
        "homework",
        _("学科组、年级组统筹作业总量"),
        _("学校"),
        "hard",
        ("dr_opinion_2021",),
        evaluable=False,
    ),
    _r(
        "hw_publicity_required",
        "homework",
        _("建立作业校内公示制度"),
        _("学校"),
        "hard",
        ("dr_opinion_2021",),
        evaluable=False,
    ),
    _r(
        "hw_offcampus_training_no_homework",
        "homework",
        _("校外培训机构不得布置作业"),
        _("校外培训机构"),
        "hard",
        ("sleep_notice_2021", "hw_notice_2021"),
    ),
    # §2.2 Teacher homework practice
    _r(
        "hw_no_parent_assignment",
        "teacher_practice",
        _("严禁给家长布置或变相布置作业"),
        _("全体教师"),
        "hard",
        ("dr_opinion_2021", "hw_notice_2021"),
    ),
    _r(
        "hw_no_parent_checking_or_marking",
        "teacher_practice",
        _("严禁要求家长检查、批改作业"),
        _("全体教师"),
        "hard",
        ("dr_opinion_2021", "hw_notice_2021"),
    ),
    _r(
        "hw_no_student_self_marking",
        "teacher_practice",
        _("不得要求学生自批自改作业"),
        _("全体教师"),
        "hard",
        ("dr_opinion_2021", "hw_notice_2021"),
    ),
    _r(
        "hw_full_marking",
        "teacher_practice",
        _("教师对布置的作业全批全改"),
        _("全体教师"),
        "hard",
        ("hw_notice_2021",),
        evaluable=False,
    ),
    _r(
        "hw_no_repetitive_or_punitive",
        "teacher_practice",
        _("严禁布置重复性、惩罚性作业"),
        _("全体教师"),
        "hard",
        ("dr_opinion_2021", "hw_notice_2021"),
    ),
    _r(
        "hw_tiered_flexible_personalized",
        "teacher_practice",
        _("鼓励布置分层、弹性、个性化作业"),
        _("全体教师"),
        "guidance",
        ("dr_opinion_2021",),
        evaluable=False,
    ),
    _r(
        "hw_no_phone_based_homework",
        "teacher_practice",
        _("不得用手机布置作业或要求学生用手机完成作业"),
        _("全体教师"),
        "hard",
        ("phone_notice_2021",),
    ),
    _r(
        "hw_paper_based_default",
        "teacher_practice",
        _("作业原则上采用纸质作业"),
        _("中小学"),
        "guidance",
        ("myopia_action_2021",),
        evaluable=False,
    ),
    # §2.3 Exams
    _r(
        "exam_paper_none_g1_2",
        "exams",
        _("一二年级不进行纸笔考试"),
        _("小学一、二年级"),
        "hard",
        ("exam_notice_2021", "daily_exam_notice_2025"),
    ),
    _r(
        "exam_final_per_term_max",
        "exams",
        _("每学期期末考试不超过1次"),
        _("三至九年级"),
        "hard",
        ("exam_notice_2021",),
        "V2",
        P("max_count", 1, "max", _("次"), _("每学期次数")),
    ),
    _r(
        "exam_midterm_per_term_max",
        "exams",
        _("初中每学期可安排1次期中考试（小学不安排）"),
        _("初中"),
        "hard",
        ("exam_notice_2021",),
        "V2",
        P("max_count", 1, "max", _("次"), _("每学期次数")),
    ),
    _r(
        "exam_no_weekly_monthly_unit_tests",
        "exams",
        _("不得组织周考、月考、单元考试（含变相考试）"),
        _("义务教育全学段"),
        "hard",
        ("exam_notice_2021",),
    ),
    _r(
        "exam_no_regional_or_interschool",
        "exams",
        _("小学和初中非毕业年级不得组织区域性或跨校际考试"),
        _("小学；初中非毕业年级"),
        "hard",
        ("exam_notice_2021", "daily_exam_notice_2025"),
    ),
    _r(
        "exam_mock_max_graduating",
        "exams",
        _("初中毕业年级模拟考试不超过2次，其他年级不得组织"),
        _("初中毕业年级"),
        "hard",
        ("exam_notice_2021", "daily_exam_notice_2025"),
        "V2",
        P("max_count", 2, "max", _("次"), _("每学期次数")),
    ),
    _r(
        "exam_grade_levels",
        "exams",
        _("考试结果实行等级评价，一般分4至5个等级"),
        _("期中、期末考试"),
        "hard",
        ("exam_notice_2021",),
        "V2",
        P("min_levels", 4, "local", _("级"), _("最少等级数")),
        P("max_levels", 5, "local", _("级"), _("最多等级数")),
    ),
    _r(
        "exam_no_ranking_no_publication",
        "exams",
        _("不得公布考试成绩和排名"),
        _("全学段"),
        "hard",
        ("exam_notice_2021",),
    ),
    _r(
        "exam_no_tracking_by_score",
        "exams",
        _("不得按成绩分班、排座位、贴标签"),
        _("全学段"),
        "hard",
        ("exam_notice_2021", "moe_briefing_2021_08_30"),
    ),
    _r(
        "exam_no_link_to_admission",
        "exams",
        _("期中期末及模拟考试成绩不得与升学挂钩"),
        _("初中"),
        "hard",
        ("exam_notice_2021",),
        evaluable=False,
    ),
    _r(
        "exam_difficulty_within_standard_and_progress",
        "exams",
        _("试题不超课程标准和教学进度"),
        _("全学段"),
        "hard",
        ("exam_notice_2021",),
        evaluable=False,
    ),
    _r(
        "exam_no_purchased_papers",
        "exams",
        _("不得从任何机构或个人购买试题试卷"),
        _("全学段"),
        "hard",
        ("daily_exam_notice_2025",),
        evaluable=False,
    ),
    _r(
        "class_balanced_no_key_class",
        "exams",
        _("均衡编班，不得设重点班"),
        _("义务教育"),
        "hard",
        ("moe_briefing_2021_08_30",),
        evaluable=False,
    ),
    # §2.4 Sleep and daily schedule
    _r(
        "sleep_min_primary",
        "sleep_schedule",
        _("小学生每天睡眠时间应达到10小时"),
        _("小学"),
        "hard",
        ("sleep_notice_2021",),
        "V1/V2",
        P("min_hours", 10, "min", _("小时"), _("最少睡眠")),
    ),
    _r(
        "sleep_min_junior",
        "sleep_schedule",
        _("初中生每天睡眠时间应达到9小时"),
        _("初中"),
        "hard",
        ("sleep_notice_2021",),
        "V1/V2",
        P("min_hours", 9, "min", _("小时"), _("最少睡眠")),
    ),
    _r(
        "sleep_min_senior",
        "sleep_schedule",
        _("高中生每天睡眠时间应达到8小时"),
        _("高中"),
        "hard",
        ("sleep_notice_2021",),
        "V1/V2",
        P("min_hours", 8, "min", _("小时"), _("最少睡眠")),
    ),
    _r(
        "bedtime_latest_primary",
        "sleep_schedule",
        _("小学生就寝时间一般不晚于21:20"),
        _("小学"),
        "guidance",
        ("sleep_notice_2021",),
        "V1/V2",
        P("latest", "21:20", "latest", _("时刻"), _("最晚就寝")),
    ),
    _r(
        "bedtime_latest_junior",
        "sleep_schedule",
        _("初中生就寝时间一般不晚于22:00"),
        _("初中"),
        "guidance",
        ("sleep_notice_2021",),
        "V1/V2",
        P("latest", "22:00", "latest", _("时刻"), _("最晚就寝")),
    ),
    _r(
        "bedtime_latest_senior",
        "sleep_schedule",
        _("高中生就寝时间一般不晚于23:00"),
        _("高中"),
        "guidance",
        ("sleep_notice_2021",),
        "V1/V2",
        P("latest", "23:00", "latest", _("时刻"), _("最晚就寝")),
    ),
    _r(
        "morning_class_start_earliest_primary",
        "sleep_schedule",
        _("小学上午上课时间一般不早于8:20"),
        _("小学"),
        "guidance",
        ("sleep_notice_2021",),
        "V1/V2",
        P("earliest", "08:20", "earliest", _("时刻"), _("最早上课")),
    ),
    _r(
        "morning_class_start_earliest_middle",
        "sleep_schedule",
        _("中学上午上课时间一般不早于8:00"),
        _("初中、高中"),
        "guidance",
        ("sleep_notice_2021",),
        "V1/V2",
        P("earliest", "08:00", "earliest", _("时刻"), _("最早上课")),
    ),
    _r(
        "no_required_early_arrival",
        "sleep_schedule",
        _("学校不得要求学生提前到校参加统一教学活动"),
        _("全学段"),
        "hard",
        ("sleep_notice_2021",),
    ),
    _r(
        "lunch_break_where_possible",
        "sleep_schedule",
        _("有条件的保证必要午休"),
        _("全学段"),
        "guidance",
        ("sleep_notice_2021",),
        evaluable=False,
    ),
    _r(
        "sleep_monitoring",
        "sleep_schedule",
        _("将睡眠纳入监测督导"),
        _("学校"),
        "guidance",
        ("sleep_notice_2021",),
        evaluable=False,
    ),
    _r(
        "training_end_offline_latest",
        "sleep_schedule",
        _("线下培训结束时间不晚于20:30"),
        _("校外培训"),
        "hard",
        ("sleep_notice_2021", "nonsubject_opinion_2022_12"),
        "V2",
        P("latest", "20:30", "latest", _("时刻"), _("最晚结束")),
    ),
    _r(
        "training_end_online_live_latest",
        "sleep_schedule",
        _("线上直播培训结束时间不晚于21:00"),
        _("校外线上培训"),
        "hard",
        ("sleep_notice_2021", "dr_opinion_2021"),
        "V2",
        P("latest", "21:00", "latest", _("时刻"), _("最晚结束")),
    ),
    _r(
        "minor_online_game_curfew",
        "sleep_schedule",
        _("网络游戏22:00至次日8:00不向未成年人提供服务"),
        _("网络游戏企业"),
        "hard",
        ("sleep_notice_2021",),
        evaluable=False,
    ),
    # §2.5 After-school service
    _r(
        "after_school_end_not_before_off_work",
        "after_school",
        _("课后服务结束时间原则上不早于当地正常下班时间"),
        _("义务教育学校"),
        "guidance",
        ("dr_opinion_2021",),
        "V2",
        P("off_work_time", "17:30", "local", _("时刻"), _("当地正常下班时间")),
    ),
    _r(
        "after_school_end_off_work_plus_30",
        "after_school",
        _("课后服务结束时间不早于当地正常下班时间后半小时"),
        _("义务教育学校"),
        "guidance",
        ("after_school_notice_2021_06",),
        "V2",
        P("enabled", False, "required", "", _("启用（比下班时间晚30分钟）")),
    ),
    _r(
        "after_school_days_and_hours_5x2",
        "after_school",
        _("课后服务“5+2”：每周5天，每天不少于2小时"),
        _("义务教育学校"),
        "guidance",
        ("local",),
        "V2/S",
        P("min_days", 5, "min", _("天"), _("每周天数")),
        P("min_hours_per_day", 2, "min", _("小时"), _("每天时长")),
    ),
    _r(
        "after_school_voluntary",
        "after_school",
        _("课后服务家长学生自愿参加"),
        _("学生"),
        "hard",
        ("local",),
        "V2/S",
    ),
    _r(
        "after_school_no_new_lessons",
        "after_school",
        _("不得利用课后服务时间讲新课"),
        _("全学段"),
        "hard",
        ("moe_briefing_2021_08_30",),
    ),
    _r(
        "after_school_extended_care",
        "after_school",
        _("为有特殊需要的学生提供延时托管"),
        _("有需要的学生"),
        "guidance",
        ("after_school_notice_2021_06",),
        "V2/R",
        evaluable=False,
    ),
    _r(
        "junior_evening_self_study",
        "after_school",
        _("初中晚自习一般不超过2小时、不晚于20:30"),
        _("初中"),
        "guidance",
        ("dr_opinion_2021",),
        "V2 (local)",
        P("latest", "20:30", "latest", _("时刻"), _("最晚结束")),
        P("max_hours", 2, "max", _("小时"), _("最长时长")),
    ),
    _r(
        "teacher_flexible_hours",
        "after_school",
        _("教师弹性上下班"),
        _("教师"),
        "guidance",
        ("dr_opinion_2021",),
        evaluable=False,
    ),
    _r(
        "after_school_fee_rules",
        "after_school",
        _("不得以课后服务名义乱收费"),
        _("学校"),
        "hard",
        ("after_school_notice_2021_06",),
        evaluable=False,
    ),
    # §2.6 PE, breaks, eyesight
    _r(
        "pe_weekly_periods_g1_2",
        "pe",
        _("一二年级体育课每周4课时"),
        _("一、二年级"),
        "hard",
        ("fitness_notice_2021", "curriculum_plan_2022"),
        "V1",
        P("min_periods", 4, "min", _("课时"), _("每周最少")),
    ),
    _r(
        "pe_weekly_periods_g3_9",
        "pe",
        _("三至九年级体育课每周3课时"),
        _("三至九年级"),
        "hard",
        ("fitness_notice_2021", "curriculum_plan_2022"),
        "V1",
        P("min_periods", 3, "min", _("课时"), _("每周最少")),
    ),
    _r(
        "pe_weekly_periods_senior",
        "pe",
        _("高中体育课每周2课时"),
        _("高中"),
        "hard",
        ("fitness_notice_2021",),
        "V1",
        P("min_periods", 2, "min", _("课时"), _("每周最少")),
    ),
    _r(
        "pe_daily_period_where_possible",
        "pe",
        _("有条件的学校每天开设1节体育课"),
        _("全学段"),
        "guidance",
        ("fitness_notice_2021", "myopia_action_2021"),
        "V1/V2",
        evaluable=False,
    ),
    _r(
        "pe_no_crowding_out",
        "pe",
        _("不得以任何理由挤占体育课"),
        _("全学段"),
        "hard",
        ("fitness_notice_2021",),
        "V1",
        evaluable=False,
    ),
    _r(
        "pe_activity_in_school_daily",
        "pe",
        _("校内体育活动每天不少于1小时"),
        _("全学段"),
        "guidance",
        ("fitness_notice_2021",),
        "V2",
        P("min_minutes", 60, "min", _("分钟"), _("每天最少")),
    ),
    _r(
        "pe_activity_out_of_school_daily",
        "pe",
        _("校外体育活动每天不少于1小时"),
        _("全学段"),
        "guidance",
        ("fitness_notice_2021",),
        "V2",
        P("min_minutes", 60, "min", _("分钟"), _("每天最少")),
    ),
    _r(
        "pe_comprehensive_daily_min",
        "pe",
        _("综合体育活动时间每天不少于2小时"),
        _("中小学"),
        "guidance",
        ("edu_power_plan_2025",),
        "V2",
        P("min_minutes", 120, "min", _("分钟"), _("每天最少（校内与校外合计）")),
    ),
    _r(
        "long_break_daily",
        "pe",
        _("每天统一安排30分钟大课间"),
        _("全学段"),
        "hard",
        ("fitness_notice_2021",),
        "V2",
        P("min_minutes", 30, "min", _("分钟"), _("大课间时长")),
    ),
    _r(
        "inter_class_break_min",
        "pe",
        _("课间休息时间"),
        _("义务教育"),
        "guidance",
        ("local",),
        "V2",
        P("min_minutes", 10, "min", _("分钟"), _("课间时长")),
    ),
    _r(
        "electronic_teaching_max_share",
        "pe",
        _("使用电子产品开展教学时长原则上不超过教学总时长的30%"),
        _("学校"),
        "guidance",
        ("myopia_action_2021",),
        "V2",
        P("max_percent", 30, "max", _("%"), _("最高占比")),
    ),
    # §2.7 Mobile phones
    _r(
        "phone_campus_default_deny",
        "phones",
        _("学生手机原则上不得带入校园"),
        _("中小学"),
        "hard",
        ("phone_notice_2021",),
        evaluable=False,
    ),
    _r(
        "phone_entry_requires_parent_written_request",
        "phones",
        _("确需带入的须家长同意并书面申请"),
        _("例外情形"),
        "hard",
        ("phone_notice_2021",),
        evaluable=False,
    ),
    _r(
        "phone_custody_on_entry",
        "phones",
        _("进校后手机统一保管"),
        _("校园"),
        "hard",
        ("phone_notice_2021",),
        evaluable=False,
    ),
    _r(
        "phone_classroom_ban",
        "phones",
        _("禁止手机带入课堂"),
        _("课堂"),
        "hard",
        ("phone_notice_2021",),
        evaluable=False,
    ),
    _r(
        "phone_parent_contact_channel",
        "phones",
        _("提供公共电话、班主任热线或电子学生证等联系渠道"),
        _("学校"),
        "hard",
        ("phone_notice_2021",),
        evaluable=False,
    ),
    # §2.8 Reading and teaching aids
    _r(
        "reading_negative_list_12",
        "reading",
        _("按12条负面清单排查课外读物"),
        _("学校图书馆与推荐书目"),
        "hard",
        ("reading_rules_2021",),
        evaluable=False,
    ),
    _r(
        "reading_recommendation_principles",
        "reading",
        _("课外读物推荐原则（适度性等）"),
        _("学校"),
        "guidance",
        ("reading_rules_2021",),
        evaluable=False,
    ),
    _r(
        "reading_vetting_process",
        "reading",
        _("建立课外读物遴选、审核、推荐机制"),
        _("学校"),
        "hard",
        ("reading_rules_2021",),
        "V1/V2",
        evaluable=False,
    ),
    _r(
        "reading_no_forced_purchase",
        "reading",
        _("不得强制购买课外读物"),
        _("学校"),
        "hard",
        ("reading_rules_2021",),
        "R",
        evaluable=False,
    ),
    # §2.9 Curriculum plan
    _r(
        "weekly_periods_g1_2",
        "curriculum",
        _("一二年级周课时26节"),
        _("一、二年级"),
        "hard",
        ("curriculum_plan_2022",),
        "V2",
        P("max_periods", 26, "max", _("节"), _("每周课时")),
    ),
    _r(
        "weekly_periods_g3_6",
        "curriculum",
        _("三至六年级周课时30节"),
        _("三至六年级"),
        "hard",
        ("curriculum_plan_2022",),
        "V2",
        P("max_periods", 30, "max", _("节"), _("每周课时")),
    ),
    _r(
        "weekly_periods_g7_9",
        "curriculum",
        _("七至九年级周课时34节"),
        _("七至九年级"),
        "hard",
        ("curriculum_plan_2022",),
        "V2",
        P("max_periods", 34, "max", _("节"), _("每周课时")),
    ),
    _r(
        "nine_year_total_periods",
        "curriculum",
        _("九年总课时9522节"),
        _("一至九年级"),
        "hard",
        ("curriculum_plan_2022",),
        evaluable=False,
    ),
    _r(
        "school_year_weeks",
        "curriculum",
        _("学年39周（新授课35周）"),
        _("全学段"),
        "hard",
        ("curriculum_plan_2022",),
        evaluable=False,
    ),
    _r(
        "period_length_standard",
        "curriculum",
        _("课时标准：小学40分钟、初中45分钟"),
        _("小学、初中"),
        "guidance",
        ("curriculum_plan_2022",),
        evaluable=False,
    ),
    _r(
        "labor_weekly_min",
        "curriculum",
        _("劳动课平均每周不少于1课时"),
        _("一至九年级"),
        "hard",
        ("curriculum_plan_2022",),
        "V2",
        P("min_periods", 1, "min", _("课时"), _("每周最少")),
    ),
    _r(
        "class_team_activity_weekly_min",
        "curriculum",
        _("班团队活动原则上每周1课时"),
        _("一至九年级"),
        "guidance",
        ("local",),
        "V2 (provincial)",
        evaluable=False,
    ),
    _r(
        "calligraphy_in_chinese_g3_6",
        "curriculum",
        _("三至六年级语文每周1课时书法"),
        _("三至六年级"),
        "hard",
        ("local",),
        "V2 (provincial)",
        evaluable=False,
    ),
    _r(
        "interdisciplinary_min_share",
        "curriculum",
        _("跨学科主题学习不少于10%课时"),
        _("各课程"),
        "guidance",
        ("local",),
        "V2 (provincial)",
        evaluable=False,
    ),
    _r(
        "no_arbitrary_schedule_change",
        "curriculum",
        _("不得随意增减课时、提高难度、加快进度；一年级零起点教学"),
        _("学校"),
        "hard",
        ("moe_briefing_2021_08_30", "myopia_action_2021"),
        evaluable=False,
    ),
    # §2.10 In-school time (local; no national value)
    _r(
        "in_school_learning_time_max_primary",
        "in_school_time",
        _("小学生在校集中学习时间（地方规定）"),
        _("小学"),
        "guidance",
        ("local",),
        "S/R",
        P("max_hours", None, "max", _("小时"), _("每天上限（空表示不检查）")),
    ),
    # §2.11 Off-campus training
    _r(
        "training_subject_no_weekend_holiday_vacation",
        "training",
        _("学科类培训不得占用国家法定节假日、休息日及寒暑假"),
        _("学科类校外培训"),
        "hard",
        ("dr_opinion_2021",),
    ),
    _r(
        "training_online_lesson_max",
        "training",
        _("线上培训每课时不超过30分钟，间隔不少于10分钟，21:00前结束"),
        _("线上培训"),
        "hard",
        ("dr_opinion_2021",),
        "V2",
        P("max_minutes", 30, "max", _("分钟"), _("每课时")),
        P("min_break_minutes", 10, "min", _("分钟"), _("课间间隔")),
    ),
    _r(
        "training_prepay_max_span",
        "training",
        _("预收费不超过3个月或60课时"),
        _("全部培训机构"),
        "hard",
        ("prepay_notice_2021", "nonsubject_notice_2022_03"),
        "V2",
        P("max_months", 3, "max", _("个月"), _("最长周期")),
        P("max_lessons", 60, "max", _("课时"), _("最多课时")),
    ),
    _r(
        "training_prepay_max_amount_nonsubject",
        "training",
        _("非学科类培训单次预收费不超过5000元"),
        _("非学科类培训"),
        "hard",
        ("nonsubject_opinion_2022_12",),
        "V2",
        P("max_amount", 5000, "max", _("元"), _("单次上限")),
    ),
    _r(
        "training_prepay_custody",
        "training",
        _("预收费全部进入专用账户，银行托管或风险保证金"),
        _("全部培训机构"),
        "hard",
        ("prepay_notice_2021",),
        "V1/V2",
    ),
    _r(
        "training_no_training_loans",
        "training",
        _("不得诱导家长使用培训贷"),
        _("全部培训机构"),
        "hard",
        ("prepay_notice_2021", "nonsubject_notice_2022_03"),
    ),
    _r(
        "training_subject_fee_gov_guided",
        "training",
        _("学科类培训收费实行政府指导价"),
        _("学科类培训"),
        "hard",
        ("prepay_notice_2021",),
        "V1",
        evaluable=False,
    ),
    _r(
        "training_subject_nonprofit_no_listing",
        "training",
        _("学科类培训机构统一登记为非营利性，不得上市融资"),
        _("学科类培训机构"),
        "hard",
        ("dr_opinion_2021",),
        evaluable=False,
    ),
    _r(
        "training_prepay_earliest_collection",
        "training",
        _("预收费不早于开课前1个月或剩余20课时（地方）"),
        _("地方"),
        "hard",
        ("local",),
        "V2 (local)",
        evaluable=False,
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}


@dataclass(frozen=True)
class Setting:
    """A configurable point of policy-defaults.md §4 (not a rule: how the rules are applied)."""

    name: str
    default: Any
    direction: Direction
    label: Any  # a catalogue message (gettext_lazy)
    choices: tuple[str, ...] = ()
    # For a choice that changes how strict the rules are: the choices, strictest first. A local
    # profile (or a what-if) may only pick one at least as strict as the level above's.
    strictest_first: tuple[str, ...] = ()
    # Where policy-defaults.md describes it (§4.x): shown behind the page's 依据 disclosure, not in
    # the label people read.
    section: str = ""

    @property
    def key(self) -> str:
        return f"settings.{self.name}"

    @property
    def label_zh(self) -> str:
        return _in("zh-hans", self.label)


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "homework_cap_aggregation",
        "per_class_estimate_per_day",
        "local",
        _("“平均完成时间”的含义"),
        ("per_class_estimate_per_day", "per_student_mean_per_day", "weekly_average"),
        section="§4.1",
    ),
    Setting(
        "homework_time_source",
        "teacher_estimate",
        "local",
        _("作业时长来源"),
        ("teacher_estimate", "calibrated_estimate", "parent_report"),
        section="§4.1",
    ),
    Setting("count_non_written", False, "required", _("非书面作业计入时长"), section="§4.2"),
    Setting(
        "count_in_school_completed",
        False,
        "required",
        _("校内（课堂、课后服务）完成的书面作业计入时长"),
        section="§4.2",
    ),
    # --- Homework: the cap is what a child really spends (issue 12; docs/decisions/0023, 0024) ---
    # The day's total of every kind of homework done at home (written, oral, reading, practical …):
    # no national number (null); a district may set one per stage as a local rule, stricter only.
    Setting(
        "homework_all_kinds_daily_max_primary",
        None,
        "max",
        _("小学每日各类家庭作业合计上限（分钟，地方规定）"),
    ),
    Setting(
        "homework_all_kinds_daily_max_junior",
        None,
        "max",
        _("初中每日各类家庭作业合计上限（分钟，地方规定）"),
    ),
    # Non-written homework at home above this many minutes a day warns the teacher and the head teacher.
    Setting("homework_non_written_warn_minutes", 30, "max", _("非书面家庭作业每日超过此分钟数时提醒")),
    # Over-cap exceptions (approved or waiting) per class per ISO week; over that, refused.
    Setting("homework_exceptions_per_class_week_max", 2, "max", _("每班每周作业超时特批次数上限")),
    # Who decides an exception on the head teacher's own item (nobody approves their own).
    Setting(
        "homework_own_exception_approver",
        "academic_affairs",
        "local",
        _("班主任本人作业超时的特批人（教导处或校长）"),
        ("academic_affairs", "principal"),
    ),
    # --- end of issue 12 homework block ---
    Setting(
        "tier_counting",
        "required_plus_max_layer",
        "local",
        _("分层作业计时方式"),
        ("required_only", "required_plus_max_layer"),
        # Counting only the required tier drops the layered work some students carry: looser.
        ("required_plus_max_layer", "required_only"),
        section="§4.15",
    ),
    # Bands: [{"grades": [3, 4], "max_minutes": 40}] — local caps inside a stage (§4.3); stricter only.
    Setting("homework_bands", [], "max", _("年级段作业上限（如三四年级≤40分钟）"), section="§4.3"),
    # Grade → stage for this area (§4.3). It may only restate the 学制 (六三制/五四制): a grade moved to
    # another stage would take that stage's cap, and the live checks take the stage from the school's
    # grades (decision 0028). Checked by profiles.stage_mapping_problems.
    Setting("stage_mapping", {}, "local", _("年级与学段对应"), section="§4.3"),
    # The default level names are stored in profiles and matched as data; marked for the catalogue so
    # a page can show them translated.
    Setting(
        "exam_level_labels",
        [gettext_noop("优秀"), gettext_noop("良好"), gettext_noop("合格"), gettext_noop("待合格")],
        "local",
        _("等级评价标签"),
        section="§4.8",
    ),
    Setting("middle_includes_senior", True, "local", _("“中学”包含高中"), section="§4.5"),
    Setting("report_min_families", 5, "min", _("家庭反馈汇总显示的最少户数")),
    # Complaint handling deadlines in working days (issue 4 defaults: acknowledge 2, answer 15).
    Setting("complaint_ack_working_days", 2, "max", _("举报受理期限（工作日）")),
    Setting("complaint_answer_working_days", 15, "max", _("举报答复期限（工作日）")),
    # A school's answer to a complaint waits for the principal's sign-off before it goes out (issue 15).
    # Off by default; a district may require it, and a school may turn it on but not off then.
    Setting("complaint_answer_signoff", False, "required", _("举报答复须经校长审签后发出")),
)

SETTINGS_BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}


def national_defaults() -> dict[str, Any]:
    """Every parameter and setting with its national default value."""
    values: dict[str, Any] = {}
    for rule in RULES:
        for param in rule.params:
            values[param.key(rule.id)] = param.default
    for setting in SETTINGS:
        values[setting.key] = setting.default
    return values


def direction_of(key: str) -> Direction:
    if key in SETTINGS_BY_KEY:
        return SETTINGS_BY_KEY[key].direction
    rule_id, _, name = key.partition(".")
    rule = RULES_BY_ID.get(rule_id)
    if rule is None:
        raise KeyError(key)
    for param in rule.params:
        if param.name == name:
            return param.direction
    raise KeyError(key)


def label_of(key: str) -> str:
    if key in SETTINGS_BY_KEY:
        return SETTINGS_BY_KEY[key].label_zh
    rule_id, _, name = key.partition(".")
    rule = RULES_BY_ID[rule_id]
    param = next(p for p in rule.params if p.name == name)
    return f"{rule.title_zh}（{param.label_zh}）"

"""The policy documents the rules cite (policy-defaults.md §1, the source register).

Each is named by its official Chinese title and document number, as it is cited: a quotation, not
interface text, so it is not translated (a reader needs the exact title to find the document).
"""

from __future__ import annotations

__i18n_data__ = "official titles and numbers of the policy documents, quoted as sources"

DOCUMENTS: dict[str, str] = {
    "dr_opinion_2021": "中办发〔2021〕40号《关于进一步减轻义务教育阶段学生作业负担和校外培训负担的意见》",
    "hw_notice_2021": "教基厅函〔2021〕13号《教育部办公厅关于加强义务教育学校作业管理的通知》",
    "sleep_notice_2021": "教基厅函〔2021〕11号《教育部办公厅关于进一步加强中小学生睡眠管理工作的通知》",
    "phone_notice_2021": "教基厅函〔2021〕3号《教育部办公厅关于加强中小学生手机管理工作的通知》",
    "reading_rules_2021": "教材〔2021〕2号《中小学生课外读物进校园管理办法》",
    "fitness_notice_2021": "教体艺厅函〔2021〕16号《教育部办公厅关于进一步加强中小学生体质健康管理工作的通知》",
    "exam_notice_2021": "《教育部办公厅关于加强义务教育学校考试管理的通知》（2021年8月）",
    "daily_exam_notice_2025": "《教育部办公厅关于进一步加强中小学日常考试管理的通知》（2025年12月）",
    "after_school_notice_2021_06": "教育部课后服务典型案例通知（2021年6月）",
    "prepay_notice_2021": "教监管函〔2021〕2号《教育部等六部门关于加强校外培训机构预收费监管工作的通知》",
    "nonsubject_notice_2022_03": "《关于规范非学科类校外培训的公告》（2022年3月）",
    "nonsubject_opinion_2022_12": "《关于规范面向中小学生的非学科类校外培训的意见》（2022年12月）",
    "curriculum_plan_2022": "教材〔2022〕2号《义务教育课程方案和课程标准（2022年版）》",
    "myopia_action_2021": "《儿童青少年近视防控光明行动工作方案（2021—2025年）》",
    "edu_power_plan_2025": "《教育强国建设规划纲要（2024—2035年）》",
    "moe_briefing_2021_08_30": "教育部新闻发布会（2021-08-30）",
}

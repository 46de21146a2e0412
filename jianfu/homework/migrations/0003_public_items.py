"""ClassDayLoad.public_items: the day's items as families see them, kept with the row."""

from django.db import migrations, models

# Frozen copies of the labels at the time of this migration (migrations must not import app code).
SUBJECTS = {
    "chinese": "语文",
    "math": "数学",
    "english": "英语",
    "morality": "道德与法治",
    "science": "科学",
    "physics": "物理",
    "chemistry": "化学",
    "biology": "生物",
    "geography": "地理",
    "history": "历史",
    "pe": "体育与健康",
    "music": "音乐",
    "art": "美术",
    "it": "信息科技",
    "labor": "劳动",
    "practice": "综合实践活动",
}
KINDS = {
    "written": "书面",
    "oral": "口头",
    "reading": "阅读",
    "practical": "实践",
    "inquiry": "探究",
    "cross_subject": "跨学科",
}
WHERE = {"home": "在家完成", "in_class": "课堂完成", "after_school": "课后服务时间完成"}
TIERS = {
    "required": "必做",
    "basic": "分层·基础",
    "advanced": "分层·提高",
    "extension": "分层·拓展",
    "elective": "选做",
}


def backfill(apps, schema_editor):
    ClassDayLoad = apps.get_model("homework", "ClassDayLoad")
    HomeworkItem = apps.get_model("homework", "HomeworkItem")
    for load in ClassDayLoad.objects.filter(items__gt=0).iterator():
        items = HomeworkItem.objects.filter(
            school_class_id=load.school_class_id, date_set=load.date, status="active"
        ).order_by("subject", "pk")
        load.public_items = [
            {
                "subject": SUBJECTS.get(i.subject, i.subject),
                "code": i.subject,
                "kind": KINDS.get(i.kind, i.kind),
                "where": WHERE.get(i.where, i.where),
                "tier": TIERS.get(i.tier, i.tier),
                "minutes": i.minutes,
                "description": i.description,
                "due": i.date_due.isoformat(),
            }
            for i in items
        ]
        load.save(update_fields=["public_items"])


class Migration(migrations.Migration):
    dependencies = [
        ("homework", "0002_subject_quota"),
    ]

    operations = [
        migrations.AddField(
            model_name="classdayload",
            name="public_items",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]

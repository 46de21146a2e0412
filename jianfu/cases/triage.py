"""Triage of complaint text: a suggested category, "not a burden complaint", "no content", and
near-duplicate detection. Pure: no ORM. jieba segments; weighted keyword rules decide
(docs/decisions/0010-complaint-triage.md). A person always confirms or corrects the suggestion."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import jieba

jieba.setLogLevel(logging.WARNING)

# Weighted cue words per category. Multi-character phrases are matched on the raw text (jieba may
# split them); single words on the segmented tokens.
KEYWORDS: dict[str, dict[str, float]] = {
    "homework": {
        "作业": 2,
        "练习册": 2,
        "书面作业": 3,
        "抄写": 2,
        "写到": 2,
        "写作业": 3,
        "作业量": 3,
        "熬夜": 1,
        "打卡": 2,
        "批改": 2,
        "家长批改": 3,
        "签字": 1,
        "试卷": 1,
        "小时": 0.5,
        "罚抄": 3,
        "卷子": 1,
        "背诵": 1,
        "预习": 1,
        "家庭作业": 3,
        "作业本": 2,
        "手机上传": 2,
        "拍照上传": 2,
    },
    "exams": {
        "考试": 2,
        "月考": 3,
        "周考": 3,
        "排名": 3,
        "名次": 3,
        "成绩": 2,
        "分数": 2,
        "单元测试": 3,
        "测验": 2,
        "公布": 1,
        "联考": 3,
        "期中": 2,
        "期末": 2,
        "排座位": 2,
        "分班": 2,
        "统考": 3,
        "考": 0.5,
        "模拟考": 3,
        "张贴": 1,
        "家长群": 0.5,
        "测试": 1.5,
    },
    "paid_tutoring": {
        "补课": 3,
        "有偿": 3,
        "收费补习": 3,
        "辅导班": 2,
        "课外班": 2,
        "家教": 2,
        "老师家": 2,
        "私下": 1,
        "补习": 3,
        "一对一": 2,
        "小班课": 2,
        "培训费": 1,
        "班主任办": 2,
        "老师开": 2,
        "在职教师": 3,
    },
    "fees": {
        "收费": 2,
        "费用": 2,
        "交钱": 3,
        "资料费": 3,
        "教辅": 3,
        "买书": 2,
        "订购": 2,
        "班费": 3,
        "校服": 1,
        "乱收费": 3,
        "订阅": 2,
        "缴费": 2,
        "元": 1,
        "购买": 2,
        "辅导书": 2,
        "练习资料": 2,
        "报刊": 2,
    },
    "schedule": {
        "到校": 3,
        "早到": 3,
        "上课时间": 3,
        "睡眠": 3,
        "睡觉": 2,
        "早读": 2,
        "起床": 2,
        "七点": 1,
        "午休": 3,
        "放学": 1,
        "作息": 3,
        "晚自习": 3,
        "体育课": 2,
        "课间": 2,
        "大课间": 2,
        "占用": 1,
        "六点": 1,
        "拖堂": 3,
        "睡不够": 3,
    },
    "after_school": {
        "课后服务": 4,
        "托管": 3,
        "延时服务": 3,
        "课后托管": 4,
        "社团": 2,
        "接孩子": 2,
        "弹性离校": 3,
        "课后": 1,
        "服务费": 2,
        "兴趣班": 1,
        "讲新课": 2,
        "五点半": 1,
        "六点放": 1,
        "看管": 2,
    },
    "offcampus": {
        "培训机构": 4,
        "机构": 2,
        "校外培训": 4,
        "预付": 3,
        "退费": 3,
        "跑路": 3,
        "学费": 2,
        "课时包": 3,
        "培训班": 3,
        "周末上课": 2,
        "线上课": 2,
        "网课": 2,
        "贷款": 2,
        "培训贷": 4,
        "续费": 2,
        "退款": 3,
    },
}
NOT_BURDEN = (
    "换座位",
    "调座位",
    "座位",
    "换班",
    "调班",
    "评优",
    "三好学生",
    "班干部",
    "选班长",
    "校车",
    "食堂",
    "饭菜",
    "校服颜色",
    "空调",
    "厕所",
    "同学打",
    "欺负",
    "打架",
    "丢了",
    "失物",
    "家长会时间",
    "停车",
    "户口",
    "转学手续",
    "入学",
    "学位",
    "宿舍",
    "表扬",
    "感谢",
    "谢谢老师",
)
EMPTY_PATTERNS = re.compile(r"^[\s\W_]*(无|没有|没事|测试|test|1+|a+|哈+|嗯+|。+|？+|\?+)?[\s\W_]*$", re.I)
CATEGORIES = tuple(KEYWORDS)


@dataclass(frozen=True)
class Triage:
    category: str
    not_burden: bool
    empty: bool
    scores: dict[str, float]


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[str, ...]:
    return tuple(t for t in jieba.lcut(text) if t.strip())


def triage(text: str) -> Triage:
    """Suggest a category and flags. The category with the highest cue weight wins; "other" when
    nothing matches. "Not a burden complaint" when a non-burden cue is present and no burden
    category scores strongly."""
    clean = text.strip()
    meaningful = re.sub(r"[\s\W_]", "", clean)
    if len(meaningful) < 4 or EMPTY_PATTERNS.match(clean):
        return Triage("other", False, True, {})
    toks = set(tokens(clean))
    scores: dict[str, float] = {}
    for category, words in KEYWORDS.items():
        score = 0.0
        for word, weight in words.items():
            if (len(word) > 1 and word in clean) or word in toks:
                score += weight
        if score:
            scores[category] = score
    best = max(scores, key=lambda c: scores[c]) if scores else "other"
    not_burden = any(cue in clean for cue in NOT_BURDEN) and scores.get(best, 0) < 3
    return Triage("other" if not_burden else best, not_burden, False, scores)


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' token sets (near-duplicate grouping)."""
    ta, tb = set(tokens(a)), set(tokens(b))
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


NEAR_DUPLICATE = 0.5

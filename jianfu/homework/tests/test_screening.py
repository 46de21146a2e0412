"""The homework text screen (jianfu/homework/screening.py, decision 0025): phrases, negations, normalisation.

Expected outcomes come from the rules, not from running the screen: a practice the rules forbid
(phone_notice_2021 item 2; dr_opinion_2021 §4 and §6; hw_notice_2021) in plain words is refused, a
negation or a harmless mention is not, an arguable one asks the teacher to confirm.
"""

from __future__ import annotations

import time

import pytest

from jianfu.homework.screening import rules as screening
from jianfu.homework.screening.rules import normalise, pattern_ids_in, screen
from jianfu.policies.rules.catalogue import RULES_BY_ID

BOOK = screening.phrasebook()


@pytest.mark.parametrize(
    ("pattern", "text"), [(p.id, t) for p in BOOK.patterns for t in p.hits], ids=lambda v: str(v)
)
def test_every_listed_hit_is_found_by_its_pattern(pattern: str, text: str) -> None:
    assert pattern in pattern_ids_in(text)


@pytest.mark.parametrize(
    ("pattern", "text"), [(p.id, t) for p in BOOK.patterns for t in p.misses], ids=lambda v: str(v)
)
def test_no_listed_near_miss_is_found_by_its_pattern(pattern: str, text: str) -> None:
    assert pattern not in pattern_ids_in(text)


def test_every_pattern_has_hits_and_near_misses_and_a_known_flag() -> None:
    ids = [p.id for p in BOOK.patterns]
    assert len(ids) == len(set(ids))
    for p in BOOK.patterns:
        assert p.hits and p.misses, p.id
        assert p.flag in BOOK.flags, p.id
        assert p.level in ("block", "warn"), p.id


def test_each_flag_stands_for_a_hard_teacher_practice_rule_of_the_catalogue() -> None:
    # policy-defaults.md §2.2: the five practices are hard rules of the teacher_practice family.
    expected = {
        "phone_required": "hw_no_phone_based_homework",
        "needs_parent_marking": "hw_no_parent_checking_or_marking",
        "assigned_to_parent": "hw_no_parent_assignment",
        "self_marking": "hw_no_student_self_marking",
        "punitive": "hw_no_repetitive_or_punitive",
    }
    assert {flag: f["rule"] for flag, f in BOOK.flags.items()} == expected
    for rule_id in expected.values():
        assert RULES_BY_ID[rule_id].strictness == "hard"
        assert RULES_BY_ID[rule_id].family == "teacher_practice"


# --- normalisation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("背誦乘法口訣並錄視頻發群裡", "背诵乘法口诀并录视频发群里"),  # Traditional
        ("ＡＰＰ上完成，第１２页", "app上完成,第12页"),  # full-width letters, digits, comma
        ("打 卡 读 书", "打卡读书"),  # spaces between Chinese characters
        ("打\u200b卡", "打卡"),  # an invisible zero-width space
        ("打-卡，拍*照·上传", "打卡,拍照上传"),  # filler between characters
        ("第3-5题", "第3-5题"),  # but not between numbers
        ("use the App", "use the app"),  # spaces between Latin words stay
        ("录视屏发群", "录视频发群"),  # typo table
        ("jz签字", "家长签字"),  # abbreviation, only as a whole Latin word
        ("在小程序上完成", "在小程序上完成"),  # tw2sp would make this 小进程: t2s keeps mainland words
        ("上传影片", "上传视频"),  # a Taiwan word
        ("第一行\n第二行", "第一行。第二行"),  # a line break ends a clause
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


# --- the practices the brief names, and the near-misses it names --------------------------------


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("背诵乘法口诀并录视频发群里", "phone_required"),  # issue 12's own example
        ("每天阅读打卡", "phone_required"),
        ("手抄报拍照上传", "phone_required"),
        ("朗读课文录视频上传", "phone_required"),
        ("完成后发群", "phone_required"),
        ("作品发到群里", "phone_required"),
        ("请家长签字", "needs_parent_marking"),
        ("家长批改口算", "needs_parent_marking"),
        ("家长检查背诵", "needs_parent_marking"),
        ("家长检查并签字", "needs_parent_marking"),
        ("用APP完成英语跟读", "phone_required"),
        ("在小程序上答题", "phone_required"),
        ("用手机完成在线练习", "phone_required"),
        ("罚抄课文", "punitive"),
        ("罚写生字", "punitive"),
        ("对照答案自批自改", "self_marking"),
        ("手工作品由家长完成", "assigned_to_parent"),
        # Traditional, typos, full-width, spaced out
        ("請家長簽字", "needs_parent_marking"),
        ("罰抄生字", "punitive"),
        ("跳绳录视屏发群", "phone_required"),
        ("请家长签子", "needs_parent_marking"),
        ("ＡＰＰ上完成口算", "phone_required"),
        ("打　卡　朗　读", "phone_required"),
        # a reminder is not a negation
        ("不要忘记打卡", "phone_required"),
        ("别忘了让家长签字", "needs_parent_marking"),
    ],
)
def test_unambiguous_practice_is_refused_with_its_flag_and_rule(text: str, flag: str) -> None:
    result = screen(text)
    assert result.outcome == "block", result.hits
    assert flag in result.flags
    hit = next(h for h in result.blocks if h.flag == flag)
    assert hit.rule_id == BOOK.flags[flag]["rule"]


@pytest.mark.parametrize(
    "text",
    [
        "不需要家长签字",
        "无需打卡",
        "不用发群",
        "请家长督促孩子早睡",
        "本周五召开家长会",
        "家长会后请把回执交给班主任",
        "不要求打卡，也不要求家长检查",
        "家长签字栏已取消",
        "家长签字就不用了",
        "作业不用拍照上传，直接交纸质版",
        "请勿在家长群里发孩子的照片",
        "请家长检查孩子的书包",
        "玩成语接龙游戏",
        "发现池塘里的生物群落",
        "给妈妈写一封信",
        "练习罚球二十次",
        "制作生字卡片",
        "晚上少看手机，早点休息",
        "如有疑问可在群里问老师",
        "無需家長簽字",
    ],
)
def test_negations_and_harmless_mentions_pass(text: str) -> None:
    assert screen(text).outcome == "ok", screen(text).hits


@pytest.mark.parametrize(
    "text",
    [
        "用手机查资料",  # arguable, decided in decision 0025: the teacher confirms
        "自愿打卡",  # optional is still a nudge
        "打卡不做要求",
        "可拍照上传，也可交纸质版",
        "观察豆芽生长，拍照记录",  # a photo nobody is asked to send
        "背诵乘法口诀并录视频",  # a video nobody is asked to send
        "上网查一查端午节的来历",
        "每个单词抄写十遍",
        "同桌互批",
        "请家长配合孩子完成手工",
    ],
)
def test_arguable_practice_is_a_warning(text: str) -> None:
    result = screen(text)
    assert result.outcome == "warn", result.hits
    assert not result.flags


def test_a_negation_covers_its_own_clause_only() -> None:
    result = screen("无需家长签字，但要拍照上传")
    assert result.flags == {"phone_required"}
    result = screen("不用打卡，直接录视频发群")
    assert result.flags == {"phone_required"}


def test_a_block_hides_the_same_flags_warnings_but_keeps_others() -> None:
    # 录视频 alone is a warning; with 发群 the stronger reason is reported once for the phone flag.
    result = screen("背诵乘法口诀并录视频发群里，每个字抄写十遍")
    assert {h.flag for h in result.blocks} == {"phone_required"}
    assert all(h.flag != "phone_required" for h in result.warnings)
    assert {h.flag for h in result.warnings} == {"punitive"}


def test_several_texts_are_screened_together() -> None:
    result = screen("朗读课文", "录视频发群里")
    assert result.flags == {"phone_required"}


def test_a_long_description_is_screened_quickly() -> None:
    text = "数学：完成练习册第12页，订正错题，不需要家长签字。" * 40  # about 1,000 characters
    screen(text)  # warm the caches (phrasebook, OpenCC)
    started = time.perf_counter()
    result = screen(text)
    assert time.perf_counter() - started < 0.5
    assert result.outcome == "ok"

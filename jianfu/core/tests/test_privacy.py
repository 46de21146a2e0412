import logging

from jianfu.core.logging import RedactPersonalDataFilter, redact
from jianfu.core.masking import mask_name, mask_phone, mask_registry_id


def test_phone_and_registry_id_are_redacted_from_log_lines():
    line = "import row 3: G440106201503070016 guardian 13812345678"
    assert redact(line) == "import row 3: [学籍号已隐藏] guardian 138****5678"


def test_filter_rewrites_formatted_records():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "sms to %s", ("13812345678",), None)
    RedactPersonalDataFilter().filter(record)
    assert record.getMessage() == "sms to 138****5678"


def test_masks():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_registry_id("G440106201503070016") == "G4401**********0016"
    assert mask_name("周小明") == "周*明"
    assert mask_name("周明") == "周*"

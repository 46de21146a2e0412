"""A channel's refusal, with the provider's code (kept on the Delivery, never the text it sent)."""

from __future__ import annotations


class ChannelError(Exception):
    def __init__(self, code: str, *, retryable: bool = False) -> None:
        super().__init__(code)
        self.code = code[:30]
        self.retryable = retryable

from __future__ import annotations


class BaseSmsBackend:
    def send_messages(self, messages: list) -> int:  # pragma: no cover - interface
        raise NotImplementedError

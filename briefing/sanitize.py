"""Neutralise terminal control characters in untrusted text.

Applied once, where text enters the program (the loader), so every pane and
every CLI output shows the same safe string. C0 controls other than newline
and tab become their visible Control Pictures (ESC shows as U+241B), DEL as
U+2421, and C1 controls and bidi embedding/override/isolate characters as
U+FFFD. Carriage returns are normalised: CRLF becomes LF, a lone CR is shown.
"""

from __future__ import annotations

import re

_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f{_BIDI}]")


def _replace(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def clean(text: str) -> str:
    """Return ``text`` with every terminal control made visible and inert."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_replace, text)


def clean_tree(value: object) -> object:
    """Clean every string (keys included) in a parsed TOML document."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean(k): clean_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_tree(v) for v in value]
    return value

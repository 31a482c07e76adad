"""Find emoji code points in text (the map, legend and PDF must have none)."""

from __future__ import annotations

import re

#: Emoji and pictograph blocks, dingbats, misc symbols and the emoji variation selector.
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D"
                   "\u2300-\u23FF\U0001F900-\U0001F9FF]")


def emoji_in(text: str) -> list[str]:
    """Return the emoji characters found in ``text`` (with their code points)."""
    return [f"{c} U+{ord(c):04X}" for c in EMOJI.findall(text)]

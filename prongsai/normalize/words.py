"""Dictionary repairs decided for a whole document: spaced-out letters, lost SARA AM.

Both repairs need the evidence of the whole document, so they run after the
dictionary-free repair of every line and cell (:func:`prongsai.normalize.clean.clean_text`)
and before parsing:

1. runs of spaced-out letters are joined (:mod:`prongsai.normalize.spacing`);
2. SARA AM is restored (:mod:`prongsai.normalize.sara_am`) only when the document lost it:
   when enough of its words become dictionary words with ``ำ`` compared with the ``ำ`` it
   does have (:func:`prongsai.normalize.sara_am.lost_sara_am`). A document with ``ำ``
   everywhere keeps its occasional typo; one whose font dropped ``ำ`` gets every repairable
   word back.

>>> texts = ["ตาบลหางดง อาเภอหางดง", "จานวน 3 โครงการ", "การดาเนินการตามแผน"]
>>> plan = plan_word_repair(texts)
>>> plan.lost_sara_am, plan.sara_am_repaired, [plan.apply(t) for t in texts]
(True, 4, ['ตำบลหางดง อำเภอหางดง', 'จำนวน 3 โครงการ', 'การดำเนินการตามแผน'])
>>> plan_word_repair(["ดำเนินการตามที่กำหนด ทาให้"]).apply("ทาให้")
'ทาให้'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from prongsai.normalize.sara_am import count_sara_am, lost_sara_am, restore_sara_am
from prongsai.normalize.spacing import join_spaced_letters

MAX_EXAMPLES = 5


@dataclass
class WordRepair:
    """What the dictionary repairs do to one document's texts (see :func:`plan_word_repair`)."""

    letters_joined: int = 0  # spaced-out words joined (counted over every occurrence)
    sara_am_repairable: int = 0  # words that become dictionary words with ``ำ``
    sara_am_present: int = 0  # ``ำ`` the document has
    lost_sara_am: bool = False
    examples: list[tuple[str, str]] = field(default_factory=list)  # (as written, restored)
    _joined: dict[str, str] = field(default_factory=dict, repr=False)
    _restored: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def sara_am_repaired(self) -> int:
        return self.sara_am_repairable if self.lost_sara_am else 0

    def apply(self, text: str) -> str:
        """The repaired text (texts the plan was not made from are repaired the same way)."""
        joined = self._joined.get(text)
        if joined is None:
            joined = join_spaced_letters(text)[0]
        if not self.lost_sara_am:
            return joined
        restored = self._restored.get(joined)
        return restored if restored is not None else restore_sara_am(joined)[0]

    def sara_am_message(self) -> str:
        """The ``GLYPHS_MAPPED`` message of a document that lost SARA AM."""
        shown = ", ".join(f"{a} → {b}" for a, b in self.examples)
        return (f"SARA AM (ำ) is missing from the text layer (written as า, {self.sara_am_present} ำ in the whole "
                f"document): restored in {self.sara_am_repaired} words that are dictionary words only with ำ, "
                f"e.g. {shown}; words valid both ways (ทา/ทำ, นา/นำ) were left as written")

    def letters_message(self) -> str:
        """The ``LETTERS_JOINED`` message of a document with spaced-out letters."""
        return (f"spaced-out letters (justified or distributed text) joined into {self.letters_joined} "
                "dictionary words or organisation names")


def _examples(before: str, after: str) -> Iterable[tuple[str, str]]:
    for a, b in zip(before.split(), after.split(), strict=False):
        if a != b:
            yield a, b


def plan_word_repair(texts: Iterable[str]) -> WordRepair:
    """Measure a document's texts and decide its dictionary repairs."""
    counts = Counter(texts)
    plan = WordRepair()
    for text, n in counts.items():
        joined, j = join_spaced_letters(text)
        plan._joined[text] = joined
        plan.letters_joined += j * n
        plan.sara_am_present += count_sara_am(joined) * n
        restored, r = restore_sara_am(joined)  # cached run by run
        plan._restored[joined] = restored
        plan.sara_am_repairable += r * n
        if r and len(plan.examples) < MAX_EXAMPLES:
            for ex in _examples(joined, restored):
                if ex not in plan.examples and len(plan.examples) < MAX_EXAMPLES:
                    plan.examples.append(ex)
    plan.lost_sara_am = lost_sara_am(plan.sara_am_repairable, plan.sara_am_present)
    return plan

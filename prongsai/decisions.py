"""Fuzzy and inferred decisions, and the reviewer's overrides of them.

Every place where the pipeline guesses (a misspelt label, a fuzzy unit name, an
inferred district) goes through :meth:`Decider.decide`. Without an override the
guess is kept and a warning row records it (field, raw text, chosen value,
score). With an override for the same field and raw text (exact text first, then
whitespace-insensitive), the reviewer's value is used and no warning is written.

An override value of ``-`` rejects the guess: the field is left empty (for a
structural label, the line or column is not treated as that label).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from prongsai.diagnostics import WarningCode
from prongsai.model import Problem, SourceRef
from prongsai.normalize.clean import squash

REJECT = "-"
REQUIRED_COLUMNS = ("field", "raw_value", "correct_value")


class OverridesError(ValueError):
    """The overrides file cannot be used (missing columns, unreadable)."""


@dataclass
class Overrides:
    exact: dict[tuple[str, str], str] = field(default_factory=dict)
    loose: dict[tuple[str, str], str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.exact)

    def digest(self) -> str:
        """A stable hash of the overrides (part of the cache key).

        >>> Overrides().digest() == Overrides().digest()
        True
        """
        import hashlib
        import json

        items = sorted([f, r, v] for (f, r), v in self.exact.items())
        return hashlib.sha256(json.dumps(items, ensure_ascii=False).encode()).hexdigest()

    def add(self, field_name: str, raw: str, value: str) -> None:
        self.exact[(field_name, raw)] = value
        self.loose.setdefault((field_name, squash(raw)), value)

    def get(self, field_name: str, raw: str | None) -> str | None:
        """The reviewer's value for this decision, or None.

        >>> o = Overrides(); o.add("responsible_unit", "กองช่าง อบต.", "กองช่าง")
        >>> o.get("responsible_unit", "กองช่าง  อบต."), o.get("responsible_unit", "x")
        ('กองช่าง', None)
        """
        if raw is None:
            return None
        hit = self.exact.get((field_name, raw))
        if hit is None:
            hit = self.loose.get((field_name, squash(raw)))
        return hit

    @classmethod
    def load(cls, path: Path) -> Overrides:
        """Read a reviewed ``review.csv`` (rows with an empty correct_value are skipped)."""
        try:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                cols = reader.fieldnames or []
                missing = [c for c in REQUIRED_COLUMNS if c not in cols]
                if missing:
                    raise OverridesError(f"{path}: missing column(s) {', '.join(missing)}; "
                                         "expected the columns of a review.csv written by 'prongsai review'")
                out = cls()
                for n, row in enumerate(reader, start=2):
                    value = (row.get("correct_value") or "").strip()
                    if not value:
                        continue
                    fname = (row.get("field") or "").strip()
                    if not fname:
                        raise OverridesError(f"{path}, line {n}: empty 'field'")
                    out.add(fname, row.get("raw_value") or "", value)
                return out
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise OverridesError(f"cannot read overrides file {path}: {exc}") from None


@dataclass
class Decider:
    """Applies overrides and records the decisions that were not overruled."""

    overrides: Overrides = field(default_factory=Overrides)

    def decide(
        self,
        field_name: str,
        raw: str,
        chosen: str | None,
        score: float,
        problems: list[Problem],
        ref: SourceRef | None = None,
        code: WarningCode = WarningCode.FUZZY_LABEL,
        what: str | None = None,
    ) -> str | None:
        """The value to use for a decision; logs a warning unless overruled or certain.

        >>> d = Decider(); probs = []
        >>> d.decide("heading_word", "มติ", "มิติ", 80.0, probs)
        'มิติ'
        >>> probs[0].code, probs[0].field, probs[0].raw, probs[0].chosen, probs[0].score
        ('FUZZY_LABEL', 'heading_word', 'มติ', 'มิติ', 80.0)
        >>> d.overrides.add("heading_word", "มติ", "-")
        >>> d.decide("heading_word", "มติ", "มิติ", 80.0, probs) is None
        True
        """
        override = self.overrides.get(field_name, raw)
        if override is not None:
            return None if override == REJECT else override
        if score >= 100 and code == WarningCode.FUZZY_LABEL:
            return chosen
        label = what or field_name.replace("_", " ")
        if code == WarningCode.INFERRED_VALUE:
            message = f"{label}: '{chosen}' inferred for '{raw}' (not written in the document; score {score:.0f})"
            severity = "info"
        elif chosen is None:
            message = f"{label}: '{raw}' not recognised; left empty"
            severity = "info"
        else:
            message = f"{label}: read '{raw}' as '{chosen}' (score {score:.0f})"
            severity = "info"
        problems.append(Problem(code, severity, message, ref, field_name, raw, chosen, round(score, 1)))
        return chosen

"""The recovery engine's words as people read them (issue #15: plain language for directors).

The engine explains each award in the `clawback-result` format's own words: amounts as `1,200,000.00 USD`,
the scope codes (`NOT_INCENTIVE_BASED: not incentive-based: ...`), measures by key (`net_income FY2024`) and
the scenario's vocabulary (`basis is time_vested`, `prior_restatement`). That text is frozen in every
determination and hashed with it, and the format's examples pin it, so it is never rewritten where it is
stored: the pages and documents show it through `plain_explanation`, which writes amounts as $1,200,000.00,
names each measure, gives each choice its label and leaves out a scope code where the words after it already
say the same.
"""

import re
from collections.abc import Mapping
from functools import lru_cache

from .recovery.vocabulary import Reason

# "62.5 USD per unit", "~5,333,333.33 USD", "0.00 USD": the engine writes a dollar figure after its number.
_USD = re.compile(r"(?P<approx>~?)(?P<number>-?\d[\d,]*(?:\.\d+)?) USD\b")
# "NOT_INCENTIVE_BASED: not incentive-based: ...": the code before the words that explain it.
_REASON_CODE = re.compile(r"\b(?:" + "|".join(reason.value for reason in Reason) + r"): ")
# "measure tsr_percentile is a tsr measure" (why a reasonable estimate is needed).
_CATEGORY = re.compile(r"\bmeasure (?P<key>[\w-]+) is a (?P<category>\w+) measure\b")
# A measure key before its period ("net_income FY2024: original ...", "Goal 1 (net_income FY2024, ...").
_PERIOD = r"(?:FY|H[12]-|Q[1-4]-|\d{4})"
_SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")

# An award's outcome (the `clawback-result` format's `status`).
STATUS_LABELS = {
    "computed": "Computed",
    "excluded": "Excluded",
    "estimated": "Estimated",
    "reasonable_estimate_required": "Estimate required",
}


def _sentence_case(label: str) -> str:
    """A label as it reads inside a sentence: "Time-vested" -> "time-vested"; "EBITDA" stays."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, str]:
    """Each stored choice of the clawback records (award types and bases, measure categories, where an
    amount was already recovered from, restatement kinds and events, award outcomes) -> its label."""
    from .models import Award, AwardComponent, AwardCredit, Measure, Restatement, RestatementEvent

    labels: dict[str, str] = {}
    for choices in (
        Award.Type,
        Award.Basis,
        AwardComponent.Basis,
        AwardCredit.Source,
        Measure.Category,
        Restatement.Kind,
        RestatementEvent.Kind,
    ):
        labels.update((str(value), str(label)) for value, label in choices.choices)
    labels.update(STATUS_LABELS)
    return labels


def choice_label(value: str) -> str:
    """A stored choice by its label, in sentence case; an unknown `snake_case` word in plain words."""
    label = vocabulary().get(value)
    if label is None:
        return value.replace("_", " ")
    return _sentence_case(label)


def _dollars(match: re.Match) -> str:
    number = match.group("number").replace(",", "")
    negative = number.startswith("-")
    whole, _, cents = number.lstrip("-").partition(".")
    cents = (cents + "00")[: max(2, len(cents.rstrip("0")))]
    return f"{match.group('approx')}{'-' if negative else ''}${int(whole):,}.{cents}"


def _an(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def plain_explanation(text: str, measure_names: Mapping[str, str] | None = None) -> str:
    """The engine's explanation (or warning) as a director reads it.

    >>> plain_explanation("Excess = max(0, received 1,200,000.00 USD - recomputed 960,000.00 USD) = "
    ...                   "240,000.00 USD.")
    'Excess = max(0, received $1,200,000.00 - recomputed $960,000.00) = $240,000.00.'
    >>> plain_explanation("NOT_INCENTIVE_BASED: not incentive-based: basis is time_vested, not a measure")
    'not incentive-based: basis is time-vested, not a measure'
    >>> plain_explanation("net_income FY2024: original 240,000,000", {"net_income": "Net income"})
    'Net income FY2024: original 240,000,000'
    """
    if not text:
        return text
    names = dict(measure_names or {})
    text = _USD.sub(_dollars, str(text))
    text = _REASON_CODE.sub("", text)

    def category(match: re.Match) -> str:
        key = match.group("key")
        label = choice_label(match.group("category"))
        return f"measure {names.get(key) or choice_label(key)} is {_an(label)} {label} measure"

    text = _CATEGORY.sub(category, text)
    for key, name in sorted(names.items(), key=lambda item: -len(item[0])):
        # A key without an underscore is named where it stands before its period only ("revenue FY2024"),
        # so an ordinary word of the explanation is never taken for one.
        tail = "" if "_" in key else rf"(?= {_PERIOD})"
        text = re.sub(rf"(?<![\w-]){re.escape(key)}(?![\w-]){tail}", name, text)
    return _SNAKE.sub(lambda match: choice_label(match.group(0)), text)

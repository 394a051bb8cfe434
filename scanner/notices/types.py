"""The complaint types a notice can state, and which of them become training labels by default.

Plain tuples without pandas, so the command line can show them in ``--help`` without loading the data stack.
"""

from __future__ import annotations

INFRINGEMENT_TYPES: tuple[str, ...] = ("trademark", "copyright", "patent", "counterfeit", "suspected")
#: Complaint types that become labels by default. Copyright and patent complaints are about images, text
#: or designs, not about the use of a mark, so they would teach a trademark model the wrong thing.
DEFAULT_TYPES: tuple[str, ...] = ("trademark", "counterfeit", "suspected", "unstated")
#: Every value ``--types`` accepts (besides ``all``).
TYPE_CHOICES: tuple[str, ...] = (*INFRINGEMENT_TYPES, "unstated")

"""Deprecated: the default-model build moved out of the runtime package to :mod:`training.build_default`.

    python -m training.build_default --force        # the command now

``python -m scanner.model.build_default ...`` still works from a source checkout (same options): it says
so on stderr and runs :func:`training.build_default.main`.
"""

from __future__ import annotations

import sys

NEW_COMMAND = "python -m training.build_default"


def main(argv: list[str] | None = None) -> int:
    print(f"note: python -m scanner.model.build_default is deprecated; use {NEW_COMMAND}", file=sys.stderr)
    try:
        from training.build_default import main as build_main
    except ModuleNotFoundError as exc:
        if exc.name not in ("training", "training.build_default"):
            raise
        print(f"error: {NEW_COMMAND} needs a source checkout (run it from the repository root)", file=sys.stderr)
        return 1
    return build_main(argv)


if __name__ == "__main__":
    sys.exit(main())

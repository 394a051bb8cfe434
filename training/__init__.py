"""Building the shipped model: code a scan or ``scanner train`` never runs, kept out of the runtime package.

* :mod:`training.weak` -- weak labels from real product titles (``../shared/data/titles``);
* :mod:`training.build_default` -- rebuilds ``models/default`` reproducibly:
  ``python -m training.build_default --force`` from the repository root;
* ``training/cases/`` -- the written example cases (data; read by :mod:`scanner.model.cases`, which
  ``scanner train --with-cases`` uses too);
* ``training/goods/`` -- scripts that build and evaluate the goods lexicon.

The wheel ships only ``scanner/`` (see ``pyproject.toml``); this package exists in source checkouts.
"""

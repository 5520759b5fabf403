"""Reading YAML that people write (catalogue layers, the report configuration): safe loading, no aliases.

Why: ``yaml.SafeLoader`` already refuses Python object tags (``!!python/object/apply:os.system``), so such a
file can never run code. It still expands aliases, though, and a few lines of nested aliases ("billion
laughs") become billions of values as soon as anything walks the result: a ten-line catalogue layer took half
a minute and every byte of memory it was allowed before failing. Neither file has any use for aliases, so
they are refused with the line they are on, before anything is built.

Both are read with libyaml (PyYAML's C loader) where PyYAML has it, as its wheels do: the catalogue's six files
took 0.23 s with the pure-Python loader against 0.02 s, and every process that builds the asset graph reads them.
The C loader composes in C, so aliases are found by a pass over the parse events (a few milliseconds) first.
"""

from __future__ import annotations

import yaml

SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def refuse_aliases(text: str) -> None:
    """Raise ``yaml.YAMLError`` at the first alias (``*name``), with its line; a file that does not parse
    raises its own error here too."""
    for event in yaml.parse(text, Loader=SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, f"found the alias *{event.anchor}: aliases are not allowed in this file (write the "
                "values out; an alias can make a small file expand enormously)", event.start_mark)


def load_yaml(text: str, loader: type[yaml.SafeLoader] = SafeLoader) -> object:
    """Safe loading without aliases (``loader``: SafeLoader or a subclass with constructors of its own);
    raises ``yaml.YAMLError`` (with the line) for anything else."""
    refuse_aliases(text)
    return yaml.load(text, Loader=loader)

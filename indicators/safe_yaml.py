"""Reading YAML that people write (catalogue layers, the report configuration): safe loading, no aliases.

Why: ``yaml.SafeLoader`` already refuses Python object tags (``!!python/object/apply:os.system``), so such a
file can never run code. It still expands aliases, though, and a few lines of nested aliases ("billion
laughs") become billions of values as soon as anything walks the result: a ten-line catalogue layer took half
a minute and every byte of memory it was allowed before failing. Neither file has any use for aliases, so
they are refused with the line they are on, before anything is built.
"""

from __future__ import annotations

import yaml


class NoAliasSafeLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses aliases (``*name``)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, f"found the alias *{event.anchor}: aliases are not allowed in this file (write the "
                "values out; an alias can make a small file expand enormously)", event.start_mark)
        return super().compose_node(parent, index)


def load_yaml(text: str) -> object:
    """Safe loading without aliases; raises ``yaml.YAMLError`` (with the line) for anything else."""
    return yaml.load(text, Loader=NoAliasSafeLoader)

"""The indicator catalogue: YAML per outcome in this folder, its typed model and loader."""

from indicators.catalogue.loader import Catalogue, CatalogueError, load_catalogue
from indicators.catalogue.model import Breakdown, Frequency, Indicator, Polarity, SourceSelector, ValueType

__all__ = [
    "Breakdown",
    "Catalogue",
    "CatalogueError",
    "Frequency",
    "Indicator",
    "Polarity",
    "SourceSelector",
    "ValueType",
    "load_catalogue",
]

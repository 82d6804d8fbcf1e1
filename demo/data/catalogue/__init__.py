"""The demo catalogue: what a Swedish federation's central IT could offer its agencies.

Every supplier except Central IT is invented (the names are fictitious and carry no
organisation number); prices, levels and targets are invented too. Names and descriptions are
in Swedish because they are demo content shown to Swedish users.

The rows are in suppliers.py, agreements.py, services.py and offerings.py; `load_catalogue()`
(loader.py) creates them where missing and is idempotent.
"""

from demo.data.catalogue.agreements import AGREEMENTS
from demo.data.catalogue.loader import load_catalogue
from demo.data.catalogue.offerings import OFFERINGS, RELATIONS
from demo.data.catalogue.services import SERVICES
from demo.data.catalogue.suppliers import CENTRAL_IT, SUPPLIERS

__all__ = [
    "AGREEMENTS",
    "CENTRAL_IT",
    "OFFERINGS",
    "RELATIONS",
    "SERVICES",
    "SUPPLIERS",
    "load_catalogue",
]

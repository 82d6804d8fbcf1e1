"""Cost pools from a CSV or XLSX file: parsed and validated whole, then written all or nothing.

`parse_pool_file(content, filename, vocabulary)` reads every row and checks every field; it
returns the pools (`services.costs.actions.PoolInput`, in file order) or raises ONE
`PoolFileRejected` (a ValidationError on the field "file") listing every problem as
`line N: field: reason`, N being the physical line in the file (the header is line 1).
`import_pools(actor, period_id, content, filename)` then creates them through the engine's
`create_pool`, inside one transaction: a bad file changes nothing.

The file: a header row, then one pool per row. Columns (header names, any order, any case):

    name              required, at most 200 characters, unique in the file and the period
    category          required, a pool category value (support_staff, licence, ...)
    amount            kronor: "1234,50", "1 234.50", "1234" (at most two decimals), or
    amount_ore        whole öre: "123450" (exactly one of the two columns)
    key               required, an allocation key's name
    source_reference  required (invoice number, salary run...), at most 100 characters
    service           optional, a catalogue service's name
    supplier          optional, a supplier's name
    project           optional, a joint project's name

CSV: UTF-8 (a byte-order mark is fine), separated by comma, semicolon or tab (read from the
header). XLSX: the first sheet; cells with formulas are refused (paste values), numbers are
taken as kronor with at most two decimals. Empty rows are skipped. At most MAX_ROWS pools
and MAX_BYTES bytes.

Modules: problems (what is wrong, and the refusal), cells (reading rows and cells), amounts
(kronor and öre), vocabulary (what names refer to), pool_file (checking and importing).
"""

from services.costs.imports.amounts import parse_kronor, parse_ore
from services.costs.imports.pool_file import (
    MAX_AMOUNT_ORE,
    MAX_BYTES,
    MAX_ROWS,
    import_pools,
    parse_pool_file,
)
from services.costs.imports.problems import PoolFileRejected, Problem
from services.costs.imports.vocabulary import Vocabulary, vocabulary_for

__all__ = [
    "MAX_AMOUNT_ORE",
    "MAX_BYTES",
    "MAX_ROWS",
    "PoolFileRejected",
    "Problem",
    "Vocabulary",
    "import_pools",
    "parse_kronor",
    "parse_ore",
    "parse_pool_file",
    "vocabulary_for",
]

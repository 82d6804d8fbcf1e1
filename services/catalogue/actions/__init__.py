"""Write paths of the shared catalogue: services, offerings, prices, relations, suppliers, their
contracts and agreements, one module each. Called alike by GraphQL mutations, pages, the admin
and commands (design.md §1), as `actions.create_offering(...)`.

Every action checks the actor (a central catalogue manager or platform admin; `actor=None` is
the system itself), validates all input before writing, names each bad field with a code of
`CatalogueErrorCode`, writes all or nothing, and records an audit event per change.
References (service, offering, agreement, supplier) are model instances or primary keys.
"""

from services.catalogue.actions.agreements import (
    AGREEMENT_FIELDS,
    create_agreement,
    update_agreement,
    validate_agreement,
    validate_targets,
)
from services.catalogue.actions.contracts import (
    CONTRACT_FIELDS,
    create_supplier_contract,
    update_supplier_contract,
)
from services.catalogue.actions.offerings import (
    OFFERING_FIELDS,
    create_offering,
    retire_offering,
    update_offering,
    validate_offering,
)
from services.catalogue.actions.prices import add_price, validate_new_price
from services.catalogue.actions.relations import remove_relation, set_relation
from services.catalogue.actions.rows import require_catalogue_manager
from services.catalogue.actions.services import (
    SERVICE_FIELDS,
    create_service,
    retire_service,
    update_service,
    validate_service,
)
from services.catalogue.actions.suppliers import (
    SUPPLIER_FIELDS,
    create_supplier,
    update_supplier,
    validate_supplier,
)

__all__ = [
    "AGREEMENT_FIELDS",
    "CONTRACT_FIELDS",
    "OFFERING_FIELDS",
    "SERVICE_FIELDS",
    "SUPPLIER_FIELDS",
    "add_price",
    "create_agreement",
    "create_offering",
    "create_service",
    "create_supplier",
    "create_supplier_contract",
    "remove_relation",
    "require_catalogue_manager",
    "retire_offering",
    "retire_service",
    "set_relation",
    "update_agreement",
    "update_offering",
    "update_service",
    "update_supplier",
    "update_supplier_contract",
    "validate_agreement",
    "validate_new_price",
    "validate_offering",
    "validate_service",
    "validate_supplier",
    "validate_targets",
]

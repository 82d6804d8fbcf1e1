"""The portal's shell: navigation per host and role, forms that post through actions, paging.

Domain pages live with their domain (`services/<domain>/portal.py`, templates under
`services/<domain>/templates/<domain>/`); this package holds what every page shares."""

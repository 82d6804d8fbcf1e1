"""A small catalogue for ordering tests (public schema rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from graphql_relay import to_global_id

from services.catalogue.models import (
    Agreement,
    AgreementTarget,
    Lifecycle,
    Offering,
    OfferingPrice,
    OfferingRelation,
    PriceModel,
    Service,
    Supplier,
)

PRICE_DAY = dt.date(2020, 1, 1)


@dataclass
class Cat:
    mail: Offering  # 1-500 users, 50 kr/month, level 2/2
    suite: Offering  # requires mail, 120 kr/month, 1-500
    laptop_std: Offering  # one-off 9 000 kr + 200 kr/month per device, excludes laptop_plus
    laptop_plus: Offering
    secure: Offering  # level 4/4
    retired: Offering
    ola: Agreement


def gid(offering: Offering) -> str:
    return to_global_id("Offering", offering.pk)


def build_catalogue(prefix: str = "t") -> Cat:
    central = Supplier.objects.create(name=f"{prefix} Central IT", is_internal=True)
    ola = Agreement.objects.create(
        name=f"{prefix} OLA", kind="ola", availability_percent="99.5", support_hours="Mon-Fri 08-17"
    )
    for p, (resp, res) in enumerate([(30, 240), (60, 480), (240, 1440), (480, 2880)], 1):
        AgreementTarget.objects.create(
            agreement=ola, priority=p, response_minutes=resp, resolution_minutes=res
        )
    svc = Service.objects.create(name=f"{prefix} E-post", category="email", owner="Drift")
    svc.suppliers.add(central)

    def offering(code, **kw):
        defaults = dict(
            service=svc,
            name=code,
            security_level=2,
            availability_level=2,
            price_model=PriceModel.PER_UNIT_MONTHLY,
            unit="user",
            min_quantity=1,
            max_quantity=500,
            notice_days=90,
            lead_time_days=10,
            agreement=ola,
        )
        monthly, one_off = kw.pop("monthly", 5_000), kw.pop("one_off", 0)
        o = Offering.objects.create(code=f"{prefix}-{code}", **{**defaults, **kw})
        OfferingPrice.objects.create(
            offering=o, valid_from=PRICE_DAY, monthly_ore=monthly, one_off_ore=one_off
        )
        return o

    cat = Cat(
        mail=offering("mail"),
        suite=offering("suite", monthly=12_000),
        laptop_std=offering(
            "laptop-std", unit="device", monthly=20_000, one_off=900_000, lead_time_days=20
        ),
        laptop_plus=offering("laptop-plus", unit="device", monthly=30_000, one_off=1_500_000),
        secure=offering("secure", security_level=4, availability_level=4),
        retired=offering("retired", lifecycle=Lifecycle.RETIRED),
        ola=ola,
    )
    OfferingRelation.objects.create(offering=cat.suite, other=cat.mail, kind="requires")
    OfferingRelation.objects.create(offering=cat.laptop_std, other=cat.laptop_plus, kind="excludes")
    return cat

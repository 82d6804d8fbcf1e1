"""Django's makemessages, also reading `_l`: the portal's forms import gettext_lazy under
that name (`from django.utils.translation import gettext_lazy as _l`), which xgettext does not
know by itself. Without this, those labels never reach the catalogue and stay in English."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l"]

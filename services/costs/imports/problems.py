"""What is wrong with a pool file: each problem names its physical line and field; a refused
file carries them all, as one ValidationError on the field "file"."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from services.costs.errors import CostErrorCode as Code


@dataclass(frozen=True)
class Problem:
    line: int  # physical line, header = 1; 0 for the file as a whole
    field: str
    reason: str
    code: str = Code.INVALID

    def __str__(self) -> str:
        if self.line == 0:
            return f"{self.field}: {self.reason}"
        return f"line {self.line}: {self.field}: {self.reason}"


class PoolFileRejected(ValidationError):
    """The whole file is refused; `problems` lists every line at fault."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__({"file": [ValidationError(str(p), code=p.code) for p in problems]})


def rejected(field_name: str, reason: str, code: str = Code.INVALID) -> PoolFileRejected:
    """The file refused for one problem of the file as a whole."""
    return PoolFileRejected([Problem(0, field_name, reason, code)])

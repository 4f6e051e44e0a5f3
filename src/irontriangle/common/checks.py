"""Check constraints evaluated in Python when a record is validated before saving.

Django checks a CheckConstraint by sending its condition to the database as a query, one per
constraint per save; an account has eight, so validation alone cost more than the write. Our
conditions are plain comparisons, which Python evaluates with the same meaning: SQL's three-valued
logic, where a comparison with NULL is unknown and an unknown check passes. A condition this module
cannot read is left to Django's own check.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, cast

from django.db.models import F, Model, Q

UNKNOWN = None
_COMPARE = {
    "exact": lambda a, b: a == b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
}


class Unreadable(Exception):
    """The condition uses something the evaluator does not model."""


def evaluate(condition: Q, instance: Model, exclude: Collection[str]) -> bool:
    """Whether the record passes; a condition naming an excluded field passes, as in Django."""
    try:
        return _node(condition, instance, exclude) is not False
    except _Excluded:
        return True


class _Excluded(Exception):
    pass


def _node(node: Any, instance: Model, exclude: Collection[str]) -> bool | None:
    if isinstance(node, Q):
        results = [_node(child, instance, exclude) for child in node.children]
        if node.connector == Q.AND:
            value = False if False in results else (UNKNOWN if UNKNOWN in results else True)
        elif node.connector == Q.OR:
            value = True if True in results else (UNKNOWN if UNKNOWN in results else False)
        else:
            raise Unreadable(node.connector)
        return (None if value is None else not value) if node.negated else value
    if not isinstance(node, tuple) or len(node) != 2:
        raise Unreadable(node)
    lookup, expected = node
    name, _, operator = lookup.partition("__")
    operator = operator or "exact"
    actual = _field_value(instance, name, exclude)
    if isinstance(expected, F):
        expected = _field_value(instance, expected.name, exclude)
    elif not isinstance(expected, str | int | float | bool | list | tuple | type(None)) and not hasattr(
        expected, "as_tuple"
    ):
        raise Unreadable(expected)
    if operator == "isnull":
        return (actual is None) == bool(expected)
    if operator == "in":
        return UNKNOWN if actual is None else actual in expected
    compare = _COMPARE.get(operator)
    if compare is None:
        raise Unreadable(operator)
    if actual is None or expected is None:
        return UNKNOWN
    return bool(compare(actual, expected))


def _field_value(instance: Model, name: str, exclude: Collection[str]) -> Any:
    if "__" in name:
        raise Unreadable(name)
    field = instance._meta.pk if name == "pk" else instance._meta.get_field(name)
    if field.name in exclude:
        raise _Excluded(name)
    return getattr(instance, getattr(field, "attname", name))


def validate_constraints(instance: Model, exclude: Collection[str] | None = None) -> None:
    """Django's Model.validate_constraints, with check constraints evaluated here rather than queried."""
    from django.core.exceptions import ValidationError
    from django.db import router
    from django.db.models import CheckConstraint

    exclude = set(exclude or ())
    using = router.db_for_write(type(instance), instance=instance)
    errors: dict[str, Any] = {}
    for model_class, constraints in instance.get_constraints():
        for constraint in constraints:
            try:
                if isinstance(constraint, CheckConstraint):
                    try:
                        passed = evaluate(cast(Q, constraint.condition), instance, exclude)
                    except Unreadable:
                        constraint.validate(model_class, instance, exclude=exclude, using=using)  # type: ignore[attr-defined]
                        continue
                    if not passed:
                        raise ValidationError(
                            constraint.get_violation_error_message(), code=constraint.violation_error_code
                        )
                else:
                    constraint.validate(model_class, instance, exclude=exclude, using=using)  # type: ignore[attr-defined]
            except ValidationError as error:
                fields: list[str] = list(getattr(constraint, "fields", ()))
                if getattr(error, "code", None) == "unique" and len(fields) == 1:
                    errors.setdefault(fields[0], []).append(error)
                else:
                    errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)

"""Amounts in Chinese read as finance writes them, 1,200,000 rather than 1200000: Django's zh_Hans
groups by four digits with no separator, which leaves contract sums unreadable at a glance."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

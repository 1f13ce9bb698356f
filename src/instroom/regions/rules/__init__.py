"""The rules of a regeling as versioned data (DOMAIN.md "Rules as data")."""

from .document import TEMPLATE, TERM_LISTS, Rules, read, write
from .schema import Problem, RulesError, Term

__all__ = ["TEMPLATE", "TERM_LISTS", "Problem", "Rules", "RulesError", "Term", "read", "write"]

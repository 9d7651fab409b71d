"""A small OData v4 ``$filter`` parser and evaluator.

Only what the incidents API needs: comparisons of a property with a literal
(eq ne gt ge lt le), ``and``/``or``/``not``, parentheses, string literals
('' escapes a quote), DateTimeOffset literals and null. Anything else is
rejected with a FilterError whose message is shown to the client in a 400,
because a silently ignored clause is worse than a loud one.

Datetimes are compared as integer 100 ns ticks: Graph timestamps carry 7
fractional digits and a Python datetime only keeps 6, so two values that
differ in the last digit must not compare equal.
"""

import calendar
import datetime
import re
from dataclasses import dataclass


class FilterError(ValueError):
    """The filter is malformed or not supported; the message is client-facing."""


@dataclass(frozen=True)
class Field:
    kind: str  # "string", "enum" or "datetime"
    members: tuple = ()  # enum members accepted in literals
    case_insensitive: bool = False  # for strings such as e-mail addresses


_DATETIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})$",
    re.IGNORECASE,
)
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_TOKEN = re.compile(r"\s+|(?P<punct>[(),])|(?P<string>'(?:[^']|'')*')|(?P<word>[^\s(),']+)")

_COMPARISONS = {"eq", "ne", "gt", "ge", "lt", "le"}
_ORDERING = {"gt", "ge", "lt", "le"}


def parse_datetime_ticks(text):
    """Parse an ISO 8601 DateTimeOffset into 100 ns ticks since the epoch (UTC)."""
    m = _DATETIME.match(text)
    if not m:
        raise FilterError(f"'{text}' is not a valid DateTimeOffset.")
    year, month, day, hour, minute, second, fraction, zone = m.groups()
    try:
        moment = datetime.datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0)
        )
    except ValueError as exc:
        raise FilterError(f"'{text}' is not a valid DateTimeOffset: {exc}.") from None
    offset = 0
    if zone.upper() != "Z":
        sign = 1 if zone[0] == "+" else -1
        offset = sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    seconds = calendar.timegm(moment.timetuple()) - offset
    ticks = int((fraction or "").ljust(7, "0")[:7])
    return seconds * 10_000_000 + ticks


def _tokenize(text):
    tokens, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:  # only an unterminated quote gets here
            raise FilterError(f"Unterminated string literal at position {pos}: {text[pos:]!r}.")
        pos = m.end()
        if m.group("punct"):
            tokens.append(("punct", m.group("punct"), m.start()))
        elif m.group("string"):
            tokens.append(("string", m.group("string")[1:-1].replace("''", "'"), m.start()))
        elif m.group("word"):
            tokens.append(("word", m.group("word"), m.start()))
    return tokens


class _Parser:
    def __init__(self, text, fields, known):
        self.text = text
        self.tokens = _tokenize(text)
        self.pos = 0
        self.fields = fields
        self.known = known

    # -- token helpers -------------------------------------------------
    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None, len(self.text))

    def take(self):
        token = self.peek()
        self.pos += 1
        return token

    def at_keyword(self, word):
        kind, value = self.peek()[:2]
        return kind == "word" and value.lower() == word

    def expect_punct(self, char):
        kind, value, where = self.take()
        if kind != "punct" or value != char:
            found = "end of expression" if kind is None else repr(value)
            raise FilterError(f"Expected '{char}' at position {where}, found {found}.")

    # -- grammar: or_expr := and_expr ('or' and_expr)* ------------------
    def parse(self):
        if not self.tokens:
            raise FilterError("The $filter expression is empty.")
        node = self.or_expr()
        kind, value, where = self.peek()
        if kind is not None:
            raise FilterError(f"Syntax error at position {where}: unexpected {value!r}.")
        return node

    def or_expr(self):
        parts = [self.and_expr()]
        while self.at_keyword("or"):
            self.take()
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else (lambda r, ps=parts: any(p(r) for p in ps))

    def and_expr(self):
        parts = [self.unary()]
        while self.at_keyword("and"):
            self.take()
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else (lambda r, ps=parts: all(p(r) for p in ps))

    def unary(self):
        if self.at_keyword("not"):
            self.take()
            inner = self.unary()
            return lambda r: not inner(r)
        kind, value = self.peek()[:2]
        if kind == "punct" and value == "(":
            self.take()
            inner = self.or_expr()
            self.expect_punct(")")
            return inner
        return self.comparison()

    def comparison(self):
        kind, name, where = self.take()
        if kind != "word":
            found = "end of expression" if kind is None else repr(name)
            raise FilterError(f"Expected a property name at position {where}, found {found}.")
        nxt_kind, nxt = self.peek()[:2]
        if nxt_kind == "punct" and nxt == "(":
            raise FilterError(f"The function '{name}' is not supported in this $filter.")
        field = self._field(name)
        op_kind, op, op_where = self.take()
        if op_kind != "word" or op.lower() not in _COMPARISONS:
            found = "end of expression" if op_kind is None else repr(op)
            if op_kind == "word" and op.lower() in ("in", "has", "add", "sub", "mul", "div", "mod"):
                raise FilterError(f"The operator '{op}' is not supported in this $filter.")
            raise FilterError(
                f"Expected a comparison operator (eq, ne, gt, ge, lt, le) after '{name}' "
                f"at position {op_where}, found {found}."
            )
        op = op.lower()
        literal = self.literal(name, field, op)
        return _compare(name, field, op, literal)

    def _field(self, name):
        if name in self.fields:
            return self.fields[name]
        if name in self.known:
            raise FilterError(f"The property '{name}' cannot be used in a $filter query.")
        if name.lower() in ("and", "or", "not") or name.lower() in _COMPARISONS:
            raise FilterError(f"Syntax error: unexpected keyword '{name}'.")
        raise FilterError(
            f"Could not find a property named '{name}' on type 'microsoft.graph.security.incident'."
        )

    def literal(self, name, field, op):
        kind, raw, where = self.take()
        if kind is None:
            raise FilterError(f"Expected a value after '{name} {op}', found end of expression.")
        if kind == "punct":
            raise FilterError(f"Expected a value after '{name} {op}' at position {where}, found {raw!r}.")
        if kind == "word" and raw == "null":
            if op in _ORDERING:
                raise FilterError(f"The operator '{op}' cannot compare '{name}' with null.")
            return None
        if field.kind == "datetime":
            return self._datetime_literal(name, op, kind, raw)
        if kind != "string":
            raise FilterError(
                "A binary operator with incompatible types was detected. Found operand types "
                f"'Edm.String' and '{_edm_type(raw)}' for operator kind '{op}'. "
                f"Quote string values: {name} {op} '{raw}'."
            )
        if op in _ORDERING:
            raise FilterError(f"The operator '{op}' is not supported for the property '{name}'; use eq or ne.")
        if field.kind == "enum" and raw not in field.members:
            raise FilterError(
                f"The string '{raw}' is not a valid enumeration type constant for '{name}'. "
                f"Valid values: {', '.join(field.members)}."
            )
        return raw.casefold() if field.case_insensitive else raw

    def _datetime_literal(self, name, op, kind, raw):
        if kind == "string":
            raise FilterError(
                "A binary operator with incompatible types was detected. Found operand types "
                f"'Edm.DateTimeOffset' and 'Edm.String' for operator kind '{op}'. "
                f"Write DateTimeOffset values unquoted, e.g. {name} {op} 2026-01-01T00:00:00Z."
            )
        if _DATE_ONLY.match(raw):
            raise FilterError(
                f"'{raw}' is a date, not a DateTimeOffset; write it as {raw}T00:00:00Z."
            )
        return parse_datetime_ticks(raw)


def _edm_type(raw):
    if raw in ("true", "false"):
        return "Edm.Boolean"
    if _NUMBER.match(raw):
        return "Edm.Int32"
    return "Edm.Untyped"


def _compare(name, field, op, literal):
    def value_of(record):
        value = record.get(name)
        if value is None:
            return None
        if field.kind == "datetime":
            return parse_datetime_ticks(value)
        return value.casefold() if field.case_insensitive else value

    def test(record):
        value = value_of(record)
        if op == "eq":
            return value == literal
        if op == "ne":
            return value != literal
        if value is None or literal is None:  # ordering against null is never true
            return False
        return {
            "gt": value > literal,
            "ge": value >= literal,
            "lt": value < literal,
            "le": value <= literal,
        }[op]

    return test


def parse_filter(text, fields, known=()):
    """Compile ``text`` into a predicate ``record -> bool``.

    ``fields`` maps each filterable property to its Field; ``known`` lists the
    other properties of the type, so that filtering on them gets a clear error.
    Raises FilterError.
    """
    return _Parser(text, fields, set(known)).parse()

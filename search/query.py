"""The query language recruiters know, parsed with positions for clear errors.

    python AND (django OR flask) NOT php
    "site reliability" title:engineer skill:k8s company:"Acme Corp" school:mit
    data -junior pyth*

Words next to each other must all match (implicit AND). `AND`, `OR` and `NOT` are operators
only in capitals; `-word` is NOT. A field prefix applies to one word, one "phrase" or one
parenthesised group. A malformed query raises `QuerySyntaxError` with the offset where it
broke, never a half-guessed query.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MAX_QUERY_LENGTH = 1000
MAX_CLAUSES = 64
#: How deep parentheses and NOTs may nest: deeper trees mean nothing more to a reader, and
#: each level costs the parser and the matcher a stack frame.
MAX_NESTING = 10


class QuerySyntaxError(ValueError):
    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at character {position + 1})")
        self.message = message
        self.position = position


@dataclass(frozen=True)
class Word:
    text: str
    field: str | None
    position: int
    prefix: bool = False  # "pyth*"


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    field: str | None
    position: int


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


Node = Word | Phrase | And | Or | Not


@dataclass(frozen=True)
class _Token:
    kind: str  # WORD, PHRASE, FIELD, LPAREN, RPAREN, AND, OR, NOT, MINUS
    text: str
    position: int


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<quote>")
  | (?P<field>[A-Za-z_]+):
  | (?P<minus>-(?=[^\s-]))
  | (?P<word>[^\s()"]+)
    """,
    re.VERBOSE,
)


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:  # pragma: no cover - the word branch matches anything else
            raise QuerySyntaxError("unexpected character", position)
        kind = match.lastgroup or ""
        if kind == "quote":
            end = text.find('"', position + 1)
            if end == -1:
                raise QuerySyntaxError("this quote is never closed", position)
            tokens.append(_Token("PHRASE", text[position + 1 : end], position))
            position = end + 1
            continue
        value = match.group(kind)
        if kind == "word" and value in ("AND", "OR", "NOT"):
            tokens.append(_Token(value, value, position))
        elif kind == "word" and value.endswith(":"):
            raise QuerySyntaxError(f"{value[:-1]!r} is not a field name", position)
        elif kind != "space":
            tokens.append(_Token(kind.upper(), value, position))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str, fields: Iterable[str]) -> None:
        self.text = text
        self.fields = set(fields)
        self.tokens = _tokenize(text)
        self.index = 0
        self.clauses = 0
        self.depth = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def end_position(self) -> int:
        return len(self.text)

    def parse(self) -> Node | None:
        if not self.tokens:
            return None
        node = self.or_expression()
        token = self.peek()
        if token is not None:
            if token.kind == "RPAREN":
                raise QuerySyntaxError("this ) has no matching (", token.position)
            raise QuerySyntaxError(f"unexpected {token.text!r}", token.position)  # pragma: no cover
        return node

    def or_expression(self) -> Node:
        items = [self.and_expression()]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            following = self.peek()
            if following is None or following.kind in ("OR", "AND", "RPAREN"):
                raise QuerySyntaxError("OR needs something on its right", token.position)
            items.append(self.and_expression())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expression(self) -> Node:
        items = [self.unary()]
        while (token := self.peek()) is not None and token.kind not in ("OR", "RPAREN"):
            if token.kind == "AND":
                self.take()
                following = self.peek()
                if following is None or following.kind in ("OR", "AND", "RPAREN"):
                    raise QuerySyntaxError("AND needs something on its right", token.position)
            items.append(self.unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node:
        token = self.peek()
        if token is None:
            raise QuerySyntaxError("the query ends too early", self.end_position())
        if token.kind in ("NOT", "MINUS"):
            self.take()
            following = self.peek()
            if following is None or following.kind in ("OR", "AND", "RPAREN"):
                raise QuerySyntaxError(f"{token.text} needs something to exclude", token.position)
            self._nested(token.position)
            node = Not(self.unary())
            self.depth -= 1
            return node
        return self.primary(field=None)

    def _nested(self, position: int) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise QuerySyntaxError(
                f"parentheses and NOTs nest at most {MAX_NESTING} deep", position
            )

    def _count_clause(self, position: int) -> None:
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            raise QuerySyntaxError(f"the query has more than {MAX_CLAUSES} terms", position)

    def primary(self, field: str | None) -> Node:
        token = self.take() if self.peek() is not None else None
        if token is None:  # pragma: no cover - callers check first
            raise QuerySyntaxError("the query ends too early", self.end_position())
        if token.kind == "AND" or token.kind == "OR":
            raise QuerySyntaxError(f"{token.text} needs something on its left", token.position)
        if token.kind == "RPAREN":
            raise QuerySyntaxError("this ) has no matching (", token.position)
        if token.kind == "LPAREN":
            inside = self.peek()
            if inside is None:
                raise QuerySyntaxError("this ( is never closed", token.position)
            if inside.kind == "RPAREN":
                raise QuerySyntaxError("empty parentheses", token.position)
            self._nested(token.position)
            node = self.or_expression()
            self.depth -= 1
            closing = self.peek()
            if closing is None or closing.kind != "RPAREN":
                raise QuerySyntaxError("this ( is never closed", token.position)
            self.take()
            return _with_field(node, field) if field else node
        if token.kind == "FIELD":
            name = token.text.lower()
            if field is not None:
                raise QuerySyntaxError("a field cannot hold another field", token.position)
            if name not in self.fields:
                known = ", ".join(f"{f}:" for f in sorted(self.fields))
                raise QuerySyntaxError(
                    f"unknown field {token.text!r}; use one of {known}", token.position
                )
            following = self.peek()
            if following is not None and following.kind == "FIELD":
                raise QuerySyntaxError("a field cannot hold another field", following.position)
            if following is None or following.kind not in ("WORD", "PHRASE", "LPAREN"):
                raise QuerySyntaxError(f"{token.text}: needs a word after it", token.position)
            return self.primary(field=name)
        if token.kind == "PHRASE":
            words = tuple(token.text.split())
            if not words:
                raise QuerySyntaxError("empty quotes", token.position)
            self._count_clause(token.position)
            return Phrase(words, field, token.position)
        if token.kind == "WORD":
            text = token.text
            self._count_clause(token.position)
            prefix = text.endswith("*")
            stem = text.rstrip("*")
            if "*" in stem or "?" in stem:
                raise QuerySyntaxError("wildcards only at the end of a word", token.position)
            if prefix and len(stem) < 2:
                raise QuerySyntaxError("give at least two letters before *", token.position)
            return Word(stem, field, token.position, prefix=prefix)
        raise QuerySyntaxError(f"unexpected {token.text!r}", token.position)  # pragma: no cover


def _with_field(node: Node, field: str) -> Node:
    if isinstance(node, Word):
        return Word(node.text, node.field or field, node.position, node.prefix)
    if isinstance(node, Phrase):
        return Phrase(node.words, node.field or field, node.position)
    if isinstance(node, Not):
        return Not(_with_field(node.item, field))
    items = tuple(_with_field(item, field) for item in node.items)
    return And(items) if isinstance(node, And) else Or(items)


def parse_query(text: str, fields: Iterable[str]) -> Node | None:
    """The query as a tree, None for an empty query; `QuerySyntaxError` if malformed."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(f"the query is longer than {MAX_QUERY_LENGTH} characters", 0)
    node = _Parser(text, fields).parse()
    if node is not None and _only_negative(node):
        raise QuerySyntaxError("a query cannot only exclude; add what to look for", 0)
    return node


def _only_negative(node: Node) -> bool:
    if isinstance(node, Not):
        return True
    if isinstance(node, And):
        return all(_only_negative(item) for item in node.items)
    if isinstance(node, Or):
        return any(_only_negative(item) for item in node.items)
    return False


def words_of(node: Node | None) -> list[Word]:
    """The plain, positive words of a query (those "did you mean" may correct)."""
    if node is None or isinstance(node, (Phrase, Not)):
        return []
    if isinstance(node, Word):
        return [] if node.prefix else [node]
    return [word for item in node.items for word in words_of(item)]

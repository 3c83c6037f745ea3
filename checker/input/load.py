"""Stage 1, load: YAML text -> plain data, with the line and column of every node.

Safe by construction: we compose the node graph ourselves and build values from it, so no tag
can construct an object, a duplicate key is an error instead of silently losing data, and
aliases cannot expand a small file into gigabytes.
"""

from __future__ import annotations

import itertools
import os
import re
import stat
from dataclasses import dataclass

import yaml
from yaml.constructor import SafeConstructor

from ..problems import InputError, Location, Problem, format_path

try:  # the C parser is many times faster; it is an optional part of PyYAML
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_NODES = 1_000_000  # values built, counting each alias use again
MAX_DEPTH = 64
MAX_NUMBER = 1e15
# characters in one value or key: the longest clause quoted in a rule is about 350; a name or a
# document number is far shorter. A report repeats a hall's name on every row, so an unbounded
# name made a gigabyte report from a megabyte hall.
MAX_TEXT = 2_000

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {"str", "int", "float", "bool", "null", "timestamp"}
_scalars = SafeConstructor()


@dataclass(frozen=True)
class Document:
    file: str
    data: object
    positions: dict  # path tuple -> (line, column), 1-based, of the value at that path
    keys: dict = None  # path tuple -> (line, column) of the mapping key that introduces it
    # Records that came from elsewhere (imported spreadsheet rows): an object whose
    # `locate(path)` gives the cell a path was read from, or None for a path it does not hold.
    origins: object = None

    def locate_key(self, path: tuple) -> Location:
        """Where the key of `path` is written; the value's position when there is no key."""
        if self.keys and tuple(path) in self.keys:
            line, col = self.keys[tuple(path)]
            return Location(self.file, line, col, format_path(tuple(path)))
        return self.locate(path)

    def locate(self, path: tuple) -> Location:
        """The nearest known position at or above `path`."""
        if self.origins is not None:
            cell = self.origins.locate(tuple(path))
            if cell is not None:
                return cell
        probe = tuple(path)
        while probe not in self.positions and probe:
            probe = probe[:-1]
        line, col = self.positions.get(probe, (None, None))
        return Location(self.file, line, col, format_path(tuple(path)))


def load_file(path: str, display_name: str | None = None, max_bytes: int = MAX_FILE_BYTES) -> Document:
    name = display_name or path
    return load_bytes(read_regular(path, name, max_bytes), name)


def read_regular(path: str, name: str, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file, or InputError: missing, a directory, too large, or not a
    regular file at all. Opened without blocking and checked on the open file, so that a FIFO
    (or a device) named like a YAML file is refused at once instead of hanging the run."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        _fail("file.not_found", Location(name))
    except IsADirectoryError:
        _fail("file.is_directory", Location(name))
    except OSError as err:
        _fail("file.unreadable", Location(name), reason=err.strerror or str(err))
    status = os.fstat(fd)
    if not stat.S_ISREG(status.st_mode):
        os.close(fd)
        _fail("file.is_directory" if stat.S_ISDIR(status.st_mode) else "file.special", Location(name))
    if status.st_size > max_bytes:
        os.close(fd)
        _fail("file.too_large", Location(name), size=status.st_size, limit=max_bytes)
    with os.fdopen(fd, "rb") as handle:
        try:
            os.set_blocking(fd, True)
            raw = handle.read(max_bytes + 1)
        except OSError as err:
            _fail("file.unreadable", Location(name), reason=err.strerror or str(err))
    if len(raw) > max_bytes:  # it grew while we read it
        _fail("file.too_large", Location(name), size=len(raw), limit=max_bytes)
    return raw


def load_bytes(raw: bytes, name: str) -> Document:
    return load_text(_decode(raw, name), name)


def load_text(text: str, name: str) -> Document:
    """The document `text` holds: read straight from the parser's events when it is plain (almost
    every hall and rule file), else composed (composed_document); the same document either way."""
    if len(text) <= 2 * MAX_NODES and _too_deep_line(text) is None:
        document = _plain_document(text, name)
        if document is not None:
            return document
    return composed_document(text, name)


def composed_document(text: str, name: str) -> Document:
    """The full reading of any YAML text: composed into a node graph, then built from it. It
    gives every problem its exact message and place."""
    line = _too_deep_line(text)
    if line is not None:  # PyYAML's C composer recurses once per level: 25,000 overflow its stack
        _fail("yaml.too_deep", Location(name, line, 1), limit=MAX_DEPTH)
    try:
        _refuse_too_many_nodes(text, name)
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        _fail("yaml.syntax", _mark_location(name, mark), detail=err.problem or err.context or "")
    except yaml.YAMLError as err:
        _fail("yaml.syntax", Location(name), detail=str(err))
    except RecursionError:
        _fail("yaml.too_deep", Location(name), limit=MAX_DEPTH)
    nodes = [node for node in nodes if node is not None]
    if not nodes:
        _fail("yaml.empty", Location(name, 1, 1))
    if len(nodes) > 1:
        _fail("yaml.many_documents", _mark_location(name, nodes[1].start_mark), count=len(nodes))
    expanded = _expanded_size(nodes[0], name)
    if expanded > MAX_NODES:
        _fail("yaml.too_many_nodes", _mark_location(name, nodes[0].start_mark), limit=MAX_NODES)
    builder = _Builder(name)
    data = builder.build(nodes[0], (), 0)
    if builder.problems:
        raise InputError(builder.problems)
    return Document(name, data, builder.positions, builder.keys)


_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.AliasEvent)


class _NotPlain(Exception):
    """The document needs the full reading: it has something a plain hall does not."""


def _plain_document(text: str, name: str) -> Document | None:
    """The document built straight from the parser's events, positions recorded as each value is
    made, or None when it is not plain: one document with no anchor, alias, tag or merge key, no
    syntax error, and nothing the builder would refuse. Almost every hall and rule file is plain,
    and composing a node graph and then walking it (the full reading, see _Builder) costs several
    times as much; anything else gets the full reading, so every refusal and every message stays
    exactly what it is there."""
    try:
        return _plain_events(yaml.parse(text, Loader=_Loader), name)
    except (_NotPlain, yaml.YAMLError, RecursionError):
        return None


def _plain_events(events, name: str) -> Document:
    """Values, positions and keys from one plain document's events (see _plain_document): the
    same as _Builder makes from the composed graph, or _NotPlain. An alias is what the full
    reading makes of it: a fresh copy of the anchored value, at the anchored value's positions."""
    positions: dict = {}
    keys: dict = {}
    anchors: dict = {}  # name -> _Anchored, once its value is complete
    root, documents, count = None, 0, 0
    stack: list = []  # open collections: [container, path, key awaiting its value or _NO_KEY, anchor]
    for event in events:
        kind = type(event)
        if kind is yaml.ScalarEvent or kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent \
                or kind is yaml.AliasEvent:
            if kind is not yaml.AliasEvent and event.tag is not None:
                raise _NotPlain
            mark = event.start_mark
            if not stack:
                path = ()
            else:
                frame = stack[-1]
                container = frame[0]
                if type(container) is list:
                    path = frame[1] + (len(container),)
                elif frame[2] is _NO_KEY:  # this node is a key
                    if kind is not yaml.ScalarEvent or event.anchor is not None:
                        raise _NotPlain
                    key = event.value
                    if key == "<<" or key in container or len(key) > MAX_TEXT:
                        raise _NotPlain
                    frame[2] = key
                    keys[frame[1] + (key,)] = (mark.line + 1, mark.column + 1)
                    continue
                else:
                    path = frame[1] + (frame[2],)
            if kind is yaml.AliasEvent:
                anchored = anchors.get(event.anchor)
                if anchored is None:  # undefined, or an alias inside its own anchor
                    raise _NotPlain
                count += len(anchored.positions)
                if count > MAX_NODES or len(path) + anchored.height > MAX_DEPTH:
                    raise _NotPlain
                for relative, spot in anchored.positions:
                    positions[path + relative] = spot
                for relative, spot in anchored.keys:
                    keys[path + relative] = spot
                value = _copied(anchored.value)
            else:
                if event.anchor is not None and (event.anchor in anchors or
                                                 any(open_frame[3] is not None and open_frame[3][0] == event.anchor
                                                     for open_frame in stack)):
                    raise _NotPlain  # a duplicate anchor: the composer refuses it
                count += 1
                if count > MAX_NODES or len(path) > MAX_DEPTH:
                    raise _NotPlain
                positions[path] = (mark.line + 1, mark.column + 1)
                if kind is yaml.ScalarEvent:
                    value = _plain_scalar(event)
                    if event.anchor is not None:
                        anchors[event.anchor] = _Anchored(value, (((), positions[path]),), (), 0)
                else:
                    value = {} if kind is yaml.MappingStartEvent else []
            if not stack:
                root = value
            elif type(stack[-1][0]) is list:
                stack[-1][0].append(value)
            else:
                stack[-1][0][stack[-1][2]] = value
                stack[-1][2] = _NO_KEY
            if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                anchor = None if event.anchor is None else (event.anchor, len(positions) - 1, len(keys))
                stack.append([value, path, _NO_KEY, anchor])
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            frame = stack.pop()
            if frame[3] is not None:
                anchor, first_position, first_key = frame[3]
                anchors[anchor] = _anchored(frame[0], frame[1], positions, first_position, keys, first_key)
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _NotPlain
    if documents != 1:
        raise _NotPlain
    return Document(name, root, positions, keys)


@dataclass(frozen=True)
class _Anchored:
    """An anchored value as an alias repeats it: the value, and where each of its parts (and
    keys) was written, by path relative to the anchor; its depth below the anchor."""

    value: object
    positions: tuple
    keys: tuple
    height: int


def _anchored(value, path: tuple, positions: dict, first_position: int, keys: dict, first_key: int) -> _Anchored:
    """The collection just closed at `path`, with the positions and keys recorded since it opened."""
    cut = len(path)
    inside = [(spot_path[cut:], spot) for spot_path, spot in itertools.islice(positions.items(), first_position, None)]
    named = [(spot_path[cut:], spot) for spot_path, spot in itertools.islice(keys.items(), first_key, None)]
    return _Anchored(value, tuple(inside), tuple(named), max(len(relative) for relative, _ in inside))


def _copied(value):
    """A fresh copy of containers (the full reading builds an alias anew each time it is used)."""
    if type(value) is dict:
        return {key: _copied(item) for key, item in value.items()}
    if type(value) is list:
        return [_copied(item) for item in value]
    return value


_NO_KEY = object()  # a mapping whose next node is a key
_IMPLICIT = _Loader.yaml_implicit_resolvers  # first character -> [(tag, pattern)], as the composer resolves
_WILDCARD = _IMPLICIT.get(None, [])
_STR = _TAG + "str"


def _plain_tag(value: str) -> str:
    """The tag the composer gives a plain (unquoted) scalar: Resolver.resolve without path resolvers."""
    for tag, pattern in _IMPLICIT.get(value[:1], []) + _WILDCARD:
        if pattern.match(value):
            return tag
    return _STR


def _plain_scalar(event):
    """A scalar's value, built as _Builder._scalar builds it, or _NotPlain where that one records
    a problem."""
    value = event.value
    if len(value) > MAX_TEXT:
        raise _NotPlain
    tag = _plain_tag(value) if event.implicit[0] else _STR
    if tag == _STR or tag == _TAG + "timestamp":  # a timestamp is kept as written: see _Builder._scalar
        return value
    if tag[len(_TAG):] not in _SCALAR_TAGS:
        raise _NotPlain
    try:
        built = getattr(_scalars, f"construct_yaml_{tag[len(_TAG):]}")(yaml.ScalarNode(tag, value))
    except (ValueError, OverflowError):
        raise _NotPlain from None
    if tag in (_TAG + "int", _TAG + "float") and not (abs(built) <= MAX_NUMBER):
        raise _NotPlain
    return built


def _refuse_too_many_nodes(text: str, name: str) -> None:
    """Refuse a document with more than MAX_NODES nodes while streaming its parse events, before
    composing it: a million-entry list would otherwise cost gigabytes of nodes to be refused.
    Every node takes at least two characters, so a shorter text is not streamed twice."""
    if len(text) <= 2 * MAX_NODES:
        return
    count = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, _NODE_EVENTS):
            count += 1
            if count > MAX_NODES:
                _fail("yaml.too_many_nodes", _mark_location(name, event.start_mark), limit=MAX_NODES)


def _expanded_size(root, name: str) -> int:
    """How many values the document becomes once every alias is expanded, counted without
    expanding them: a few hundred bytes of nested aliases must be refused at once, and an alias
    to a node that contains it (a recursive alias) as soon as it is met."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()  # the nodes on the path being walked
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            open_nodes.discard(id(node))
            sizes[id(node)] = min(1 + sum(sizes[id(c)] for c in _children(node)), MAX_NODES + 1)
            continue
        if id(node) in sizes:
            continue
        if isinstance(node, yaml.ScalarNode):
            sizes[id(node)] = 1
            continue
        open_nodes.add(id(node))
        stack.append((node, True))
        for child in _children(node):
            if id(child) in open_nodes:
                _fail("yaml.recursive_alias", _mark_location(name, child.start_mark))
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes.get(id(root), 0)


def _children(node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [v for pair in node.value for v in pair]
    return node.value if isinstance(node, yaml.SequenceNode) else []


_BLOCK_INDENT = re.compile(r"^[ \t]*(?:[-?:][ \t]+)*", re.MULTILINE)
# Flow brackets counted anywhere, strings and comments included: this many surely is an attack
# (PyYAML's C composer recurses once per level and overflows its stack at about 25,000).
_RAW_FLOW_CEILING = 10_000
_SCALAR_START = set(" \t\n[{,:-?")  # a quote after these starts a quoted scalar
_RAW_BRACKETS = re.compile(r"[\[{]")


def _too_deep_line(text: str) -> int | None:
    """The line where nesting surely passes the limit, found without parsing.

    Brackets inside quoted strings and comments do not nest and are not counted; wide
    indentation over-counts, so this only refuses what is far beyond MAX_DEPTH, and the builder
    enforces the exact limit on what gets through.
    """
    ceiling = MAX_DEPTH * 16
    offset = _flow_too_deep(text, ceiling)
    if offset is not None:
        return text.count("\n", 0, offset) + 1
    for match in _BLOCK_INDENT.finditer(text):
        if len(match.group()) > ceiling * 2:
            return text.count("\n", 0, match.start()) + 1
    return None


_FLOW_SPECIAL = re.compile(r"[\[\]{}\"'#]")
_DOUBLE_QUOTED_END = re.compile(r'(?:[^"\\]|\\.)*"', re.DOTALL)


def _flow_too_deep(text: str, ceiling: int) -> int | None:
    """The offset where flow brackets outside strings and comments nest deeper than `ceiling`,
    or where brackets anywhere pass _RAW_FLOW_CEILING (a string that never closes)."""
    if len(_RAW_BRACKETS.findall(text)) <= ceiling:
        return None  # too few brackets to be too deep: the common case, decided at C speed
    depth = raw = 0
    position, size = 0, len(text)
    while True:
        match = _FLOW_SPECIAL.search(text, position)
        if match is None:
            return None
        i, char = match.start(), match.group()
        position = i + 1
        if char in "[{":
            depth, raw = depth + 1, raw + 1
            if depth > ceiling or raw > _RAW_FLOW_CEILING:
                return i
        elif char in "]}":
            depth, raw = max(0, depth - 1), max(0, raw - 1)
        elif char == "#":
            if i == 0 or text[i - 1] in " \t\n":
                end = text.find("\n", i)
                position = size if end < 0 else end
        elif i == 0 or text[i - 1] in _SCALAR_START:  # a quoted scalar starts: skip to its end
            if char == '"':
                closing = _DOUBLE_QUOTED_END.match(text, position)
                skipped_to = closing.end() if closing else size
            else:
                end = position
                while True:
                    end = text.find("'", end)
                    if end < 0 or text[end + 1:end + 2] != "'":
                        break
                    end += 2
                skipped_to = size if end < 0 else end + 1
            inside = _RAW_BRACKETS.findall(text, position, skipped_to)
            raw += len(inside)  # brackets in a string do not nest, but so many are an attack anyway
            if raw > _RAW_FLOW_CEILING:
                return i
            position = skipped_to


def _decode(raw: bytes, name: str) -> str:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        _fail("file.utf16", Location(name, 1, 1))
    if b"\x00" in raw:
        _fail("file.binary", _byte_location(raw, raw.index(b"\x00"), name))
    if raw.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte order mark is harmless; editors add it
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        _fail("file.not_utf8", _byte_location(raw, err.start, name), byte=f"0x{raw[err.start]:02x}")


def _byte_location(raw: bytes, offset: int, name: str) -> Location:
    """Line and column (in characters where the line decodes) of a byte offset."""
    before = raw[:offset]
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    return Location(name, before.count(b"\n") + 1, column)


class _Builder:
    """Builds plain Python values from a composed node graph, recording every problem."""

    def __init__(self, name: str):
        self.name = name
        self.positions: dict = {}
        self.keys: dict = {}
        self.problems: list[Problem] = []
        self.count = 0

    def problem(self, code: str, node, path: tuple, **params) -> None:
        loc = _mark_location(self.name, node.start_mark, format_path(path))
        self.problems.append(Problem(code, loc, params))

    def build(self, node, path: tuple, depth: int):
        self.count += 1
        if self.count > MAX_NODES:
            self.problem("yaml.too_many_nodes", node, path, limit=MAX_NODES)
            raise InputError(self.problems)
        if depth > MAX_DEPTH:
            self.problem("yaml.too_deep", node, path, limit=MAX_DEPTH)
            raise InputError(self.problems)
        self.positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag not in (_TAG + "seq",):
                self.problem("yaml.tag", node, path, tag=node.tag)
            return [self.build(child, path + (i,), depth + 1) for i, child in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node, path: tuple, depth: int) -> dict:
        if node.tag != _TAG + "map":
            self.problem("yaml.tag", node, path, tag=node.tag)
        out: dict = {}
        first_seen: dict = {}
        for key_node, value_node in self._merged_pairs(node, path):
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem("yaml.complex_key", key_node, path)
                continue
            key = key_node.value
            if len(key) > MAX_TEXT:
                self.problem("yaml.text_too_long", key_node, path, length=len(key), limit=MAX_TEXT)
                continue
            if key in first_seen:
                self.problem("yaml.duplicate_key", key_node, path + (key,), key=key, first_line=first_seen[key])
                continue
            first_seen[key] = key_node.start_mark.line + 1
            self.keys.setdefault(path + (key,), (key_node.start_mark.line + 1, key_node.start_mark.column + 1))
            out[key] = self.build(value_node, path + (key,), depth + 1)
        return out

    def _merged_pairs(self, node, path: tuple) -> list:
        """The mapping's pairs with YAML merge keys (<<) expanded; explicit keys win."""
        own, merged = [], []
        for key_node, value_node in node.value:
            if key_node.tag != _TAG + "merge":
                own.append((key_node, value_node))
                continue
            sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    self.problem("yaml.bad_merge", source, path)
                    continue
                merged.extend(self._merged_pairs(source, path))
        own_keys = {k.value for k, _ in own if isinstance(k, yaml.ScalarNode)}
        kept, seen = [], set()
        for key_node, value_node in merged:
            if not isinstance(key_node, yaml.ScalarNode):  # kept, for _mapping to refuse
                kept.append((key_node, value_node))
            elif key_node.value not in own_keys and key_node.value not in seen:
                seen.add(key_node.value)
                kept.append((key_node, value_node))
        return kept + own

    def _scalar(self, node, path: tuple):
        if len(node.value) > MAX_TEXT:
            self.problem("yaml.text_too_long", node, path, length=len(node.value), limit=MAX_TEXT)
            return None
        tag = node.tag[len(_TAG):] if node.tag.startswith(_TAG) else None
        if tag not in _SCALAR_TAGS:
            self.problem("yaml.tag", node, path, tag=node.tag)
            return None
        if tag == "timestamp":
            # kept as written: the schema checks the calendar (2023-02-30), then validate converts
            return node.value
        try:
            value = getattr(_scalars, f"construct_yaml_{tag}")(node)
        except (ValueError, OverflowError):
            self.problem("yaml.bad_scalar", node, path, value=node.value, type=tag)
            return None
        if tag in ("int", "float") and not (abs(value) <= MAX_NUMBER):  # also catches .nan
            # no count, area or limit comes near; infinities and huge numbers crash the C engine
            self.problem("yaml.number_range", node, path, value=node.value, limit=f"{MAX_NUMBER:.0e}")
            return None
        return value


def _mark_location(name: str, mark, path: str = "") -> Location:
    if mark is None:
        return Location(name, path=path)
    return Location(name, mark.line + 1, mark.column + 1, path)


def _fail(code: str, location: Location, **params):
    raise InputError([Problem(code, location, params)])

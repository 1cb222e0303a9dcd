"""``TorchVersion``: a version string that also compares as a version.

Scripts test ``torch.__version__ >= "2.0"`` or ``>= (2, 0)``; a plain string
would compare "2.13" < "2.2" character by character.  ``TorchVersion`` is a
``str`` whose comparisons parse both sides as PEP 440 versions (strings,
tuples such as ``(2, 1)``, or ``packaging`` ``Version`` objects) and fall back
to string comparison when either side is not a valid version.
"""
import re

__all__ = ["TorchVersion", "parse_key", "InvalidVersion"]


class InvalidVersion(ValueError):
    """A string that is not a PEP 440 version."""


_PATTERN = re.compile(r"""
    v?(?:(?P<epoch>\d+)!)?
    (?P<release>\d+(?:\.\d+)*)
    (?:[-_.]?(?P<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?P<pre_n>\d+)?)?
    (?:-(?P<post_n1>\d+)|[-_.]?(?P<post_l>post|rev|r)[-_.]?(?P<post_n2>\d+)?)?
    (?:[-_.]?(?P<dev_l>dev)[-_.]?(?P<dev_n>\d+)?)?
    (?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?
""", re.VERBOSE | re.IGNORECASE)

_PRE_RANK = {"a": 0, "alpha": 0, "b": 1, "beta": 1, "c": 2, "rc": 2, "pre": 2, "preview": 2}


def parse_key(text):
    """A tuple that orders versions as PEP 440 does; InvalidVersion if ``text`` is not one.

    Example: ``parse_key("2.1") < parse_key("2.10.0rc1") < parse_key("2.10")``.
    """
    m = _PATTERN.fullmatch(str(text).strip())
    if m is None:
        raise InvalidVersion(f"Invalid version: {text!r}")
    release = [int(p) for p in m["release"].split(".")]
    while len(release) > 1 and release[-1] == 0:
        release.pop()
    post_n = m["post_n1"] or m["post_n2"]
    has_post = m["post_n1"] is not None or m["post_l"] is not None
    if m["pre_l"]:
        pre = (_PRE_RANK[m["pre_l"].lower()], int(m["pre_n"] or 0))
    elif m["dev_l"] and not has_post:
        pre = (-1, 0)  # 1.0.dev0 sorts before 1.0a0
    else:
        pre = (3, 0)
    post = int(post_n or 0) if has_post else -1
    dev = (0, int(m["dev_n"] or 0)) if m["dev_l"] else (1, 0)
    local = ()
    if m["local"]:
        # numeric parts outrank alphanumeric ones, as PEP 440 orders local labels
        local = tuple((1, int(p), "") if p.isdigit() else (0, 0, p.lower())
                      for p in re.split(r"[-_.]", m["local"]))
    return (int(m["epoch"] or 0), tuple(release), pre, post, dev, local)


def _other_key(other):
    if isinstance(other, str):
        return parse_key(other)
    if isinstance(other, (tuple, list)):
        return parse_key(".".join(str(item) for item in other))
    if type(other).__name__ == "Version":  # packaging's Version, without importing packaging
        return parse_key(str(other))
    raise InvalidVersion(f"Invalid version: {other!r}")


def _comparison(name):
    def compare(self, other):
        try:
            mine, theirs = parse_key(self), _other_key(other)
        except InvalidVersion:
            return getattr(str, name)(self, other)
        return getattr(mine, name)(theirs)
    compare.__name__ = name
    return compare


class TorchVersion(str):
    """A ``str`` that compares with strings, tuples and ``Version`` objects as versions.

    Example::

        >>> from ember.torch_version import TorchVersion
        >>> v = TorchVersion("2.13.0+ember0.1.0")
        >>> v >= "2.2", v > (2, 9), v == "2.13.0+ember0.1.0", v.split("+")[0]
        (True, True, True, '2.13.0')
    """

    __slots__ = ()
    __hash__ = str.__hash__
    __eq__ = _comparison("__eq__")
    __lt__ = _comparison("__lt__")
    __le__ = _comparison("__le__")
    __gt__ = _comparison("__gt__")
    __ge__ = _comparison("__ge__")

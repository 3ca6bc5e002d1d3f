"""Personal data handled with care: keyed pseudonyms and suppression lists.

**Pseudonyms** are keyed HMAC-SHA256 digests (a plain hash of a handle can be reversed by
hashing every handle; a keyed one cannot without the key, ENISA 2019). The key comes from
the ``ADVOCATES_KEY`` environment variable or a key file and is never written anywhere; the
same key gives the same pseudonyms in every run, so runs stay comparable.

- account ``x:12345`` -> ``x:p3k2...`` (16 base32 characters of HMAC(key, "account", id));
- handle ``minji_runs`` -> ``p_...`` (HMAC of the canonical handle), also used as the name;
- post id -> ``p...``; post text and bios never reach an output.

- community labels name the (pseudonymised) leader only: hashtags are free text like posts
  and a tag can name a person (``#justiceforminji``), so they are withheld from labels and
  ``top_hashtags``; ``run.json`` says only that a profile or customers file was ``given``.

**Suppression**: accounts listed in a ``--suppress`` file (a handle, ``@handle``, a bare id
matched on every platform, ``platform:id``, ``platform:@handle`` or their pseudonyms) are
left out of every output after the analysis, so everyone else keeps their place;
``run.json`` counts them without naming them. Quarantined records that name them are
counted but not written to ``rejects.jsonl`` (``quarantined_suppressed``); a list that
matches nobody is a warning.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from advocates.analysis.brand import Brand, handle_keys
from advocates.analysis.identities import pseudonymise_person_columns
from advocates.errors import InputError, OptionError
from advocates.readers.identity import Dataset
from advocates.readers.raw import FileReport, Rejects
from advocates.run.profile import Profile
from advocates.text import canonical_handle, clean_text

__all__ = [
    "KEY_ENV",
    "Pseudonymiser",
    "anonymise_reports",
    "load_key",
    "read_suppression",
    "suppressed_column",
    "suppressed_mask",
    "withhold_suppressed_rejects",
]

KEY_ENV = "ADVOCATES_KEY"
_MIN_KEY_BYTES = 16


def load_key(key_file: Path | None = None) -> bytes:
    """The pseudonymisation key: ``key_file``'s content, else ``$ADVOCATES_KEY``.

    >>> import os
    >>> os.environ["ADVOCATES_KEY"] = "correct horse battery staple"
    >>> len(load_key())
    28
    """
    if key_file is not None:
        try:
            key = Path(key_file).read_bytes().strip()
        except OSError as e:
            raise InputError(f"{key_file}: cannot read the key file ({e.strerror})") from None
        where = str(key_file)
    else:
        key = os.environ.get(KEY_ENV, "").strip().encode("utf-8")
        where = KEY_ENV
        if not key:
            raise OptionError(
                f"pseudonymisation needs a secret key: set {KEY_ENV} or pass --key-file FILE "
                "(keep it: the same key gives the same pseudonyms)"
            )
    if len(key) < _MIN_KEY_BYTES:
        raise OptionError(
            f"{where}: the key is shorter than {_MIN_KEY_BYTES} bytes; use a longer secret"
        )
    return key


#: A look-alike flag (:mod:`advocates.readers.lookalike`): the handle it names, and the rest.
_LOOKS_LIKE = re.compile(
    r"^(?P<head>handle looks like )@(?P<handle>.+?)"
    r"(?P<tail> \(same display name\))?(?P<rest>; .*)?$"
)


@dataclass(frozen=True)
class Pseudonymiser:
    """Keyed, stable pseudonyms for account ids, handles and post ids.

    >>> p = Pseudonymiser(b"0123456789abcdef0123")
    >>> p.account_id("x:123") == p.account_id("x:123") != p.account_id("x:124")
    True
    >>> p.account_id("x:123").startswith("x:p"), p.handle("@Minji_Runs") == p.handle("minji_runs")
    (True, True)
    """

    key: bytes

    def _token(self, kind: str, value: str, size: int = 16) -> str:
        digest = hmac.new(self.key, f"{kind}\x00{value}".encode(), hashlib.sha256).digest()
        return base64.b32encode(digest).decode("ascii").lower()[:size]

    def account_id(self, account_id: str) -> str:
        platform = account_id.split(":", 1)[0]
        return f"{platform}:p{self._token('account', account_id)}"

    def handle(self, handle: str) -> str:
        return "p_" + self._token("handle", canonical_handle(handle), 12)

    def flag(self, flag: str) -> str:
        """A ``handle_flag`` with the handle it names (``handle looks like @alice``)
        pseudonymised like every handle.

        >>> p = Pseudonymiser(b"k" * 32)
        >>> p.flag("handle looks like @Alice (same display name)") == (
        ...     f"handle looks like @{p.handle('alice')} (same display name)")
        True
        """
        m = _LOOKS_LIKE.match(flag)
        if not m:
            return flag
        return f"{m['head']}@{self.handle(m['handle'])}{m['tail'] or ''}{m['rest'] or ''}"

    def post_id(self, post_id: str) -> str:
        return "p" + self._token("post", post_id)

    def _map(self, series: pl.Series, fn) -> pl.Series:
        uniq = series.drop_nulls().unique().to_list()
        return series.replace_strict({v: fn(v) for v in uniq}, default=None, return_dtype=pl.String)

    def dataset(self, ds: Dataset) -> Dataset:
        """Pseudonymise every identity in ``ds``. Post text is kept *inside* the dataset for
        brand matching; no writer outputs it."""
        a = ds.accounts
        acc_ids = self._map(a["account_id"], self.account_id)
        handles = self._map(a["handle"], self.handle)
        accounts = a.with_columns(
            account_id=acc_ids,
            user_id=pl.when(pl.col("user_id").is_not_null()).then(
                acc_ids.str.splitn(":", 2).struct.field("field_1")
            ),
            handle=handles,
            display_name=handles,
        )
        if "handle_flag" in a.columns:
            accounts = accounts.with_columns(handle_flag=self._map(a["handle_flag"], self.flag))
        i = ds.interactions
        inter = i.with_columns(
            src=self._map(i["src"], self.account_id),
            dst=self._map(i["dst"], self.account_id),
            post_id=self._map(i["post_id"], self.post_id),
            source=pl.lit(None, pl.String),
        )
        p = ds.posts
        posts = p.with_columns(
            author=self._map(p["author"], self.account_id),
            post_id=self._map(p["post_id"], self.post_id),
            ref_post=self._map(p["ref_post"], self.post_id),
            source=pl.lit(None, pl.String),
        )
        owners = [self.account_id(o) for o in ds.owners]
        return Dataset(accounts, inter, posts, ds.stats, owners, {})

    def frame(self, df: pl.DataFrame) -> pl.DataFrame:
        """Pseudonymise an output table of a plain run (for ``export``/``view``): ids,
        handles and names mapped; free text and profile addresses dropped."""
        key = "account_id" if "account_id" in df.columns else "advocate_key"
        ids = self._map(df[key], self.account_id)
        out = df.with_columns(ids.alias(key))
        if "advocate_key" in df.columns and key != "advocate_key":
            out = out.with_columns(advocate_key=ids)
        if "user_id" in df.columns:
            out = out.with_columns(
                user_id=pl.when(pl.col("user_id").is_not_null()).then(
                    ids.str.splitn(":", 2).struct.field("field_1")
                )
            )
        if "handle_flag" in df.columns:
            out = out.with_columns(handle_flag=self._map(df["handle_flag"], self.flag))
        if "handle" in df.columns:
            handles = self._map(df["handle"], self.handle)
            out = out.with_columns(handle=handles)
            if "display_name" in df.columns:
                out = out.with_columns(display_name=handles)
        for col in ("evidence", "why", "community_label", "stage_evidence", "bot_reason"):
            if col in df.columns:
                out = out.with_columns(pl.lit(None, pl.String).alias(col))
        if "profile_url" in df.columns:
            out = out.with_columns(profile_url=pl.lit(""))
        return pseudonymise_person_columns(out, self.handle)

    def edges(self, df: pl.DataFrame) -> pl.DataFrame:
        """Pseudonymise an edge table (``src``, ``dst``)."""
        return df.with_columns(
            src=self._map(df["src"], self.account_id), dst=self._map(df["dst"], self.account_id)
        )

    def reference(self, value: str) -> str:
        """A ``--brand``/``--exclude`` style reference in pseudonymised form."""
        v = clean_text(value).strip()
        platform, sep, rest = v.partition(":")
        if sep and platform.isalnum() and rest:
            if rest.startswith("@"):
                return f"{platform}:@{self.handle(rest)}"
            return self.account_id(f"{platform.casefold()}:{rest}")
        return self.handle(v)

    def profile(self, profile: Profile) -> Profile:
        """The profile with brand, excluded and competitor accounts pseudonymised."""
        b = profile.brand
        plats = {self.handle(k): plat for k, plat in b.platforms_by_handle.items()}
        brand = Brand(
            tuple(self.handle(k) for k in b.handle_keys),
            tuple(self.account_id(i) for i in b.account_ids),
            b.tags,
            b.keywords,
            plats,
            text_handle_keys=b.text_handle_keys or b.handle_keys,
        )
        customers = frozenset(
            c if "@" in c and not c.startswith("@") else self.reference(c)
            for c in profile.customers
        )
        return replace(
            profile,
            brand=brand,
            exclude=tuple(self.reference(x) for x in profile.exclude),
            competitors=tuple(self.reference(x) for x in profile.competitors),
            customers=customers,
            # file names can carry a name ("ana_kim_customers.csv"): only whether one was given
            customers_file="given" if profile.customers_file else None,
            source="given" if profile.source else None,
        )


def read_suppression(path: Path) -> frozenset[str]:
    """Entries of a suppression list: one handle, id, ``platform:id``, ``platform:@handle``
    or pseudonym a line (a CSV's first column; ``#`` starts a comment). Handles are
    canonicalised; a bare id (``12345``) is kept as it is and matches that id on every
    platform (and a handle spelled ``12345``).

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "s.txt"
    >>> _ = f.write_text("# do not contact\\n@Alice\\nx:123\\np_abcdef\\n456\\nX:@Bo\\n",
    ...                  encoding="utf-8")
    >>> sorted(read_suppression(f))
    ['456', 'alice', 'bo', 'p_abcdef', 'x:123']
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such suppression list; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; give the suppression list file itself") from None
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: byte {e.start}: not UTF-8; save the list as UTF-8") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read the suppression list ({e.strerror})") from None
    out = set()
    for line in text.splitlines():
        value = clean_text(line.split("#", 1)[0].split(",", 1)[0]).strip()
        if not value or value.casefold() in {"handle", "id", "account", "user_id"}:
            continue
        platform, sep, rest = value.partition(":")
        if sep and platform.isalnum() and rest and not rest.startswith("@"):
            out.add(f"{platform.casefold()}:{rest.strip()}")
        elif sep and platform.isalnum() and rest.startswith("@") and canonical_handle(rest):
            out.add(canonical_handle(rest))
        elif canonical_handle(value):
            out.add(canonical_handle(value))
    return frozenset(out)


def _is_bare_id(entry: str) -> bool:
    """A suppression entry that may be an account id without its platform (``12345``, or a
    pseudonymised id's ``p...`` part)."""
    return ":" not in entry and "@" not in entry and not entry.startswith("p_")


def suppressed_mask(
    entries: frozenset[str],
    pseudonymiser: Pseudonymiser | None = None,
    platforms: list[str] | tuple[str, ...] = (),
) -> pl.Expr:
    """True for accounts (``account_id, handle``) named by ``entries`` in any form: a handle,
    ``platform:id``, a bare id (matched on every platform), or their pseudonyms. With a
    ``pseudonymiser`` the data is pseudonymised, so plain entries are mapped with the key
    (bare ids once per platform of ``platforms``).

    >>> df = pl.DataFrame({"account_id": ["x:11", "bsky:22", "x:33"],
    ...                    "handle": ["ana", "bo", "cy"]})
    >>> df.filter(suppressed_mask(frozenset({"11", "bsky:22"})))["handle"].to_list()
    ['ana', 'bo']
    >>> p = Pseudonymiser(b"0123456789abcdef0123")
    >>> pdf = df.with_columns(account_id=pl.Series([p.account_id(a) for a in df["account_id"]]),
    ...                       handle=pl.Series([p.handle(h) for h in df["handle"]]))
    >>> pdf.filter(suppressed_mask(frozenset({"11", "cy"}), p, ["x", "bsky"])).height
    2
    """
    keys = set(entries)
    if pseudonymiser is not None:
        for e in entries:
            if e.startswith("p_") or ":p" in e:
                continue
            keys.add(pseudonymiser.reference(e))
            keys.add(pseudonymiser.handle(e))
            if _is_bare_id(e):
                keys.update(pseudonymiser.account_id(f"{p}:{e}") for p in platforms)
    bare = [e for e in keys if _is_bare_id(e)]
    id_part = pl.col("account_id").str.splitn(":", 2).struct.field("field_1")
    by_handle = handle_keys("handle").is_in(list(keys)).fill_null(False)
    by_bare_id = id_part.is_in(bare).fill_null(False)
    return (pl.col("account_id").is_in(list(keys)) | by_handle | by_bare_id).alias("is_suppressed")


def _env_key_for(entries: frozenset[str]) -> bool:
    """Whether ``entries`` hold pseudonyms and ``$ADVOCATES_KEY`` can map them."""
    named_by_pseudonym = any(e.startswith("p_") or ":p" in e for e in entries)
    return named_by_pseudonym and bool(os.environ.get(KEY_ENV, "").strip())


def suppressed_column(
    nodes: pl.DataFrame, entries: frozenset[str], key: bytes | None, pseudonymised: bool
) -> pl.Series:
    """``is_suppressed`` of every account of ``nodes`` (``account_id, handle``), whatever
    form the entries take: in a plain run given a key, pseudonym entries are matched too
    (each account is pseudonymised to compare).

    >>> nodes = pl.DataFrame({"account_id": ["x:11", "x:22"], "handle": ["ana", "bo"]})
    >>> p = Pseudonymiser(b"0123456789abcdef0123")
    >>> suppressed_column(nodes, frozenset({p.handle("bo")}), p.key, False).to_list()
    [False, True]
    """
    if not entries or nodes.is_empty():
        return pl.Series("is_suppressed", [False] * nodes.height, pl.Boolean)
    named_by_pseudonym = any(e.startswith("p_") or ":p" in e for e in entries)
    if key is None and _env_key_for(entries):
        key = load_key()  # a plain run: pseudonym entries are matched with $ADVOCATES_KEY
    pseudo = Pseudonymiser(key) if key else None
    ids = nodes["account_id"]
    platforms = sorted(ids.str.splitn(":", 2).struct.field("field_0").drop_nulls().unique())
    both = nodes.select("account_id", "handle")
    mask = both.select(suppressed_mask(entries, pseudo if pseudonymised else None, platforms))
    out = mask["is_suppressed"]
    if pseudo is not None and not pseudonymised and named_by_pseudonym:
        mapped = both.with_columns(
            account_id=pseudo._map(both["account_id"], pseudo.account_id),
            handle=pseudo._map(both["handle"], pseudo.handle),
        )
        out = out | mapped.select(suppressed_mask(entries))["is_suppressed"]
    return out.alias("is_suppressed")


_TOKEN_SPLIT = re.compile(r"[^\w@.:\-]+")


def withhold_suppressed_rejects(
    rejects: Rejects, entries: frozenset[str], pseudonymiser: Pseudonymiser | None = None
) -> int:
    """Leave out of ``rejects.jsonl`` every quarantined record that names a suppressed
    person (a handle, ``@handle``, id or ``platform:id`` of the list, as a whole token of
    the raw record); they stay counted (``Rejects.total``). Returns how many were withheld.

    >>> r = Rejects()
    >>> r.add("a.csv", 2, "field_count", "3 fields", "9,@Alice,hi")
    >>> r.add("a.csv", 3, "field_count", "3 fields", "10,bob,hi")
    >>> withhold_suppressed_rejects(r, frozenset({"alice"})), [x["line"] for x in r.records]
    (1, [3])
    >>> r.total(), r.withheld
    (2, 1)
    """
    if not entries or not rejects.records:
        return 0
    if pseudonymiser is None and _env_key_for(entries):
        pseudonymiser = Pseudonymiser(load_key())
    keys = {e.casefold() for e in entries}
    keys |= {e.split(":", 1)[1] for e in keys if ":" in e and not e.startswith("@")}
    # account pseudonyms (``x:p...``) are matched by pseudonymising each token as an id of
    # every platform named by such an entry
    pseudo_platforms = sorted({e.split(":", 1)[0] for e in entries if ":p" in e})
    pseudo_ids = {e.split(":", 1)[1] for e in entries if ":p" in e}

    def named(record: dict) -> bool:
        raw = " ".join(str(record.get(k) or "") for k in ("record", "detail"))
        for token in _TOKEN_SPLIT.split(clean_text(raw)):
            t = token.strip(".:-").casefold()
            if not t:
                continue
            forms = {t, t.lstrip("@"), canonical_handle(t) if t.lstrip("@") else t}
            if forms & keys:
                return True
            if pseudonymiser is not None and t.lstrip("@"):
                if pseudonymiser.handle(t) in keys:
                    return True
                for p in pseudo_platforms:
                    if pseudonymiser.account_id(f"{p}:{t}").split(":", 1)[1] in pseudo_ids:
                        return True
        return False

    return rejects.withhold(named)


def anonymise_reports(reports: list[FileReport], rejects: Rejects) -> None:
    """In pseudonymised runs, inputs are numbered (file names can carry a handle) and the
    rejected records keep only their file number, line and reason."""
    numbers = {r.path: f"input {i}" for i, r in enumerate(reports, start=1)}
    for r in reports:
        r.path = numbers[r.path]
        r.notes = []
    rejects.records = [
        {"file": numbers.get(x["file"], "input"), "line": x["line"], "reason": x["reason"]}
        for x in rejects.records
    ]

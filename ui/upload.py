"""Pure builders and the state machine of the Unggah Data (upload) page.

Objects in, tables and texts out: nothing here reads the store, validates a file or draws.
The page (``pages/unggah.py``) gets the validation result, catalogue and versions from
:mod:`ui.data.upload`, turns them into tables and choices with these functions and draws them.

The page's flow and why a rerun cannot undo a choice
----------------------------------------------------
1. **Upload.** The file uploader's value identifies the file; :func:`file_token` turns
   Streamlit's file id into a short token. Every widget that belongs to one file has the token
   in its key (:func:`field_key`), so a new file starts with fresh widgets and nothing has to
   be reset by writing a widget's key.
2. **Report.** The file is validated once without any mapping (the *discovery* pass): its
   value columns are the :class:`Candidate` rows of the mapping step, whatever the analyst
   then chooses (an ignored column never drops out of the list).
3. **Map.** One choice per candidate column: a catalogue indicator, :data:`NEW` (then name in
   both languages, unit, kind, direction and valid range) or :data:`IGNORE`. The widgets own
   their values; :func:`mapping_of` reads them into the mapping the validator takes. Nothing
   is written back, nothing reruns by itself.
4. **Preview** against the active version, **commit** through a button callback: the
   callback runs before the next script run, so it may point the shared view (sidebar
   widgets ``indicator``/``year``/``level``) at the new values (:func:`after_commit`).
5. **Done.** The success message (once) and a link to the values on Peta
   (:func:`map_query`); the committed file offers no second commit.
6. **Versions and rollback** (:func:`after_rollback`, :func:`rollback_message`: no internal
   ids in the message).

Every text that comes from a file (values, headers, names, messages quoting them) ends up in a
table cell or plain text, or is escaped (:func:`i18n.text.escape_markdown`) where Streamlit
renders Markdown (widget labels).
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass

from i18n import translate
from ui import state

# --------------------------------------------------------------------------- session keys
PREFIX = "unggah_"
FILE_KEY = PREFIX + "file"
YEAR_KEY = PREFIX + "year"
LOCALE_KEY = PREFIX + "locale"
SHEET_KEY = PREFIX + "sheet"
DONE_KEY = PREFIX + "done"
FAILED_KEY = PREFIX + "failed"
SIGN_OUT_KEY = PREFIX + "sign_out"
ROLLBACK_KEY = PREFIX + "rollback_indicator"
ROLLBACK_CONFIRM_KEY = PREFIX + "rollback_confirm"
ROLLBACK_BUTTON_KEY = PREFIX + "rollback"
ROLLBACK_DONE_KEY = PREFIX + "rollback_done"
ROLLBACK_FAILED_KEY = PREFIX + "rollback_failed"

# --------------------------------------------------------------------------- choices
#: Mapping choice: do not store this column.
IGNORE = "__abaikan__"
#: Mapping choice: make this column a new indicator.
NEW = "__baru__"
KINDS = ("other", "count", "percent", "money", "index", "density", "area", "years", "ratio")
DIRECTIONS = ("higher_better", "lower_better", "neutral")
LOCALES = ("auto", "id", "en")
FILE_TYPES = ("csv", "tsv", "txt", "xlsx")
#: Fields of a new indicator the analyst fills in (each one widget per column).
NEW_FIELDS = ("name_id", "name_en", "unit", "kind", "direction", "valid_min", "valid_max")
#: Bounds of a new indicator's name and unit (characters).
NAME_LENGTH = (3, 80)
UNIT_LENGTH = 30
#: Letters, digits, spaces and the punctuation names and units need; no Markdown or HTML
#: syntax (``[]<>*`#!|{}~$\\``) and no control characters.
_NAME_PUNCTUATION = set(" -_,.()/%'+:;&°²³")

#: The download templates: (label key, template name, file name, format).
TEMPLATES = (
    ("unggah.templates.wide_csv", "wide", "templat_lebar.csv", "csv"),
    ("unggah.templates.wide_xlsx", "wide", "templat_lebar.xlsx", "xlsx"),
    ("unggah.templates.long_csv", "long", "templat_panjang.csv", "csv"),
    ("unggah.templates.long_xlsx", "long", "templat_panjang.xlsx", "xlsx"),
)


# --------------------------------------------------------------------------- file identity
def file_token(file_id: str) -> str:
    """A short, key-safe token of one uploaded file (Streamlit's file id, or name and size).

    Examples
    --------
    >>> file_token("a.csv:12") == file_token("a.csv:12"), len(file_token("x"))
    (True, 10)
    """
    return hashlib.sha1(str(file_id).encode("utf-8")).hexdigest()[:10]


def file_identity(name: str, size: int, file_id: str | None = None) -> str:
    """What tells one uploaded file from the next: Streamlit's file id, else name and size.

    Examples
    --------
    >>> file_identity("ipm.csv", 120), file_identity("ipm.csv", 120, "f-1")
    ('ipm.csv:120', 'f-1')
    """
    return file_id or f"{name}:{size}"


def field_key(token: str, position: int, field: str) -> str:
    """The widget key of one field of one candidate column of one file.

    Examples
    --------
    >>> field_key("abc", 2, "choice")
    'unggah_abc_2_choice'
    """
    return f"{PREFIX}{token}_{position}_{field}"


def confirm_key(token: str) -> str:
    """The key of the commit confirmation of one file (a new file starts unconfirmed)."""
    return f"{PREFIX}{token}_confirm"


def commit_key(token: str) -> str:
    """The key of the commit button of one file."""
    return f"{PREFIX}{token}_commit"


# --------------------------------------------------------------------------- candidates
@dataclass(frozen=True)
class Candidate:
    """A value column of the file the analyst maps.

    Attributes
    ----------
    position : int
        0-based position among the candidates (stable for one file and sheet).
    header : str
        The column's header, as in the file.
    default : str
        The starting choice: the catalogue indicator the validator recognised, else IGNORE.
    base_id : str
        The id a new indicator from this column would get (before de-duplication).
    """

    position: int
    header: str
    default: str
    base_id: str


def candidates(columns: Iterable, known: Iterable[str],
               normalise: Callable[[str], str]) -> list[Candidate]:
    """The value columns of a discovery pass (validated without a mapping), in file order.

    ``columns`` are objects with ``header``, ``role`` and ``spec`` (``id``, ``known``).

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> cols = [S(header="kode", role="code", spec=None),
    ...         S(header="IPM", role="values", spec=S(id="ipm", known=True)),
    ...         S(header="Kolom Baru", role="values", spec=S(id="kolom_baru", known=False))]
    >>> [(c.header, c.default, c.base_id) for c in candidates(cols, ["ipm"], str.lower)]
    [('IPM', 'ipm', 'ipm'), ('Kolom Baru', '__abaikan__', 'kolom baru')]
    """
    known = set(known)
    out = []
    for col in (c for c in columns if c.role == "values"):
        spec = col.spec
        default = spec.id if spec is not None and spec.known and spec.id in known else IGNORE
        out.append(Candidate(len(out), str(col.header), default, normalise(col.header)))
    return out


def choice_options(catalogue_ids: Sequence[str]) -> list[str]:
    """The options of a column's choice: ignore, new, then the catalogue.

    Examples
    --------
    >>> choice_options(["ipm"])
    ['__abaikan__', '__baru__', 'ipm']
    """
    return [IGNORE, NEW, *catalogue_ids]


def new_indicator_id(text: str, taken: Iterable[str] = ()) -> str:
    """A safe id for a new indicator: ``[a-z][a-z0-9_]``, at most 64 characters, not taken.

    The id is only ever derived (never the analyst's text as is) and is never used as a path.

    Examples
    --------
    >>> new_indicator_id("kolom_baru"), new_indicator_id("2024"), new_indicator_id("")
    ('kolom_baru', 'i_2024', 'indikator_baru')
    >>> new_indicator_id("../../etc/passwd"), new_indicator_id("ipm", ["ipm", "ipm_2"])
    ('etc_passwd', 'ipm_3')
    """
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:60] or "indikator_baru"
    if not base[0].isalpha():
        base = "i_" + base
    taken = set(taken)
    new_id, n = base, 1
    while new_id in taken:
        n += 1
        new_id = f"{base}_{n}"
    return new_id


def text_problem(text: str, *, what: str, lang: str, required: bool = True) -> str | None:
    """Why a new indicator's name or unit cannot be used (None when it can).

    Names: 3–80 characters; units: at most 30. Letters (any script), digits, spaces and
    ``-_,.()/%'+:;&°²³`` only: no Markdown or HTML syntax, no control characters.

    Examples
    --------
    >>> text_problem("Skor inovasi desa (0-100)", what="name", lang="en") is None
    True
    >>> print(text_problem("[x](http://a.b)", what="name", lang="en"))
    Name: character “[” is not allowed (letters, digits, spaces and - _ , . ( ) / % ' + : ; & ° ² ³).
    >>> text_problem("ab", what="name", lang="id")
    'Nama: panjang 3–80 karakter (sekarang 2).'
    >>> text_problem("", what="unit", lang="en", required=False) is None
    True
    """
    text = "" if text is None else str(text)
    label = translate(f"unggah.new.{what}_label", lang)
    stripped = text.strip()
    if not stripped and not required:
        return None
    low, high = NAME_LENGTH if what.startswith("name") else (1, UNIT_LENGTH)
    if not low <= len(stripped) <= high:
        return translate("unggah.new.length", lang, label=label, low=low, high=high,
                         n=len(stripped))
    for ch in stripped:
        if not (ch.isalnum() or ch in _NAME_PUNCTUATION):
            return translate("unggah.new.character", lang, label=label, char=ch,
                             allowed=" ".join(sorted(_NAME_PUNCTUATION - {" "}, key="-_,.()/%'+:;&°²³".find)))
    return None


def _bound(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def new_spec(header: str, fields: Mapping, new_id: str) -> dict:
    """The definition of a new indicator from its widgets' values (defaults from the header).

    Examples
    --------
    >>> new_spec("Skor", {"unit": " skor ", "valid_min": 0, "valid_max": None}, "skor")
    {'id': 'skor', 'name_id': 'Skor', 'name_en': 'Skor', 'unit': 'skor', 'kind': 'other', \
'direction': 'neutral', 'valid_min': 0.0, 'valid_max': None}
    """
    return {
        "id": new_id,
        "name_id": str(fields.get("name_id") or header).strip(),
        "name_en": str(fields.get("name_en") or fields.get("name_id") or header).strip(),
        "unit": str(fields.get("unit") or "").strip(),
        "kind": fields.get("kind") or "other",
        "direction": fields.get("direction") or "neutral",
        "valid_min": _bound(fields.get("valid_min")),
        "valid_max": _bound(fields.get("valid_max")),
    }


def spec_problems(header: str, spec: Mapping, lang: str) -> list[str]:
    """What is wrong with a new indicator's definition, each message naming its column.

    Examples
    --------
    >>> s = {"name_id": "Skor", "name_en": "<b>Score</b>", "unit": "", "valid_min": 5.0,
    ...      "valid_max": 1.0}
    >>> for p in spec_problems("skor", s, "en"): print(p)
    Column “skor”: English name: character “<” is not allowed (letters, digits, spaces and - _ , . ( ) / % ' + : ; & ° ² ³).
    Column “skor”: the lower bound 5 is above the upper bound 1.
    """
    found = [text_problem(spec["name_id"], what="name", lang=lang),
             text_problem(spec["name_en"], what="name_en", lang=lang),
             text_problem(spec["unit"], what="unit", lang=lang, required=False)]
    lo, hi = spec.get("valid_min"), spec.get("valid_max")
    if lo is not None and hi is not None and lo > hi:
        found.append(translate("unggah.new.range", lang, low=f"{lo:g}",
                               high=f"{hi:g}"))
    return [translate("unggah.new.in_column", lang, column=header, problem=p)
            for p in found if p]


@dataclass(frozen=True)
class Choices:
    """The analyst's choices read from the widgets.

    Attributes
    ----------
    mapping : dict
        ``{header: indicator id or None}`` for the validator (None: ignore the column).
    new : dict
        ``{header: spec}`` of the new indicators (see :func:`new_spec`).
    problems : list of str
        Located messages on new indicators' definitions (nothing may be committed while any).
    """

    mapping: dict
    new: dict
    problems: list

    @property
    def stores_anything(self) -> bool:
        """Whether at least one column is mapped to an indicator."""
        return any(v is not None for v in self.mapping.values())


def mapping_of(cands: Sequence[Candidate], fields: Mapping[int, Mapping], taken: Iterable[str],
               lang: str) -> Choices:
    """Read the choices of every candidate column (``fields[position]``: widget values).

    A missing choice is the candidate's default. New indicators get ids derived from their
    column (:func:`new_indicator_id`), distinct from the catalogue and from each other.

    Examples
    --------
    >>> cands = [Candidate(0, "ipm", "ipm", "ipm"), Candidate(1, "Kolom Baru", IGNORE, "kolom_baru")]
    >>> m = mapping_of(cands, {1: {"choice": NEW, "name_id": "Kolom baru"}}, ["ipm"], "en")
    >>> m.mapping, m.new["Kolom Baru"]["id"], m.problems, m.stores_anything
    ({'ipm': 'ipm', 'Kolom Baru': 'kolom_baru'}, 'kolom_baru', [], True)
    >>> mapping_of(cands, {0: {"choice": IGNORE}}, ["ipm"], "en").mapping
    {'ipm': None, 'Kolom Baru': None}
    """
    taken = set(taken)
    mapping, new, problems = {}, {}, []
    for cand in cands:
        own = fields.get(cand.position) or {}
        choice = own.get("choice") or cand.default
        if choice == IGNORE:
            mapping[cand.header] = None
        elif choice == NEW:
            new_id = new_indicator_id(cand.base_id or cand.header, taken)
            taken.add(new_id)
            spec = new_spec(cand.header, own, new_id)
            mapping[cand.header] = new_id
            new[cand.header] = spec
            problems.extend(spec_problems(cand.header, spec, lang))
        else:
            mapping[cand.header] = choice
    return Choices(mapping, new, problems)


def validator_mapping(choice: Choices) -> dict | None:
    """The mapping handed to the validator: None while nothing is mapped (the discovery pass
    then stands for the file, so a file whose columns are all ignored is not "rejected").

    Examples
    --------
    >>> validator_mapping(Choices({"a": None}, {}, [])) is None
    True
    >>> validator_mapping(Choices({"a": None, "b": "ipm"}, {}, []))
    {'a': None, 'b': 'ipm'}
    """
    return dict(choice.mapping) if choice.stores_anything else None


# --------------------------------------------------------------------------- commit, rollback
def map_query(indicator: str, year: int) -> dict[str, str]:
    """The query parameters of the Peta link that shows committed values.

    Examples
    --------
    >>> map_query("ipm", 2024)
    {'ind': 'ipm', 'year': '2024', 'level': 'kecamatan'}
    """
    return {state.URL_PARAMS[state.INDICATOR]: str(indicator),
            state.URL_PARAMS[state.YEAR]: str(int(year)),
            state.URL_PARAMS[state.LEVEL]: "kecamatan"}


def after_commit(session: MutableMapping, token: str, indicator: str, year: int,
                 message: str) -> None:
    """Point the shared view at the committed values and keep the success message.

    Call it from the commit button's callback: callbacks run before the script, so writing
    the sidebar widgets' keys is allowed there (and only there).

    Examples
    --------
    >>> s = {FAILED_KEY: "x", ROLLBACK_DONE_KEY: "old"}
    >>> after_commit(s, "t1", "ipm", 2024, "ok")
    >>> s[state.INDICATOR], s[state.YEAR], s[state.LEVEL], s[DONE_KEY]
    ('ipm', 2024, 'kecamatan', {'token': 't1', 'message': 'ok', 'indicator': 'ipm', 'year': 2024})
    >>> FAILED_KEY in s, ROLLBACK_DONE_KEY in s
    (False, False)
    """
    session[state.INDICATOR] = str(indicator)
    session[state.YEAR] = int(year)
    session[state.LEVEL] = "kecamatan"
    session[DONE_KEY] = {"token": token, "message": message, "indicator": str(indicator),
                         "year": int(year)}
    session.pop(FAILED_KEY, None)
    session.pop(ROLLBACK_DONE_KEY, None)


def done_for(session: Mapping, token: str | None) -> dict | None:
    """The last commit of this session when it was made from the file ``token``.

    Examples
    --------
    >>> done_for({DONE_KEY: {"token": "a"}}, "a"), done_for({DONE_KEY: {"token": "a"}}, "b")
    ({'token': 'a'}, None)
    """
    done = session.get(DONE_KEY)
    return done if done and token is not None and done.get("token") == token else None


def after_rollback(session: MutableMapping, message: str) -> None:
    """Keep the rollback message; forget the last commit's message and the confirmation.

    Examples
    --------
    >>> s = {DONE_KEY: {"message": "ok"}, ROLLBACK_CONFIRM_KEY: True, ROLLBACK_FAILED_KEY: "x"}
    >>> after_rollback(s, "back")
    >>> s
    {'unggah_rollback_confirm': False, 'unggah_rollback_done': 'back'}
    """
    session[ROLLBACK_CONFIRM_KEY] = False
    session[ROLLBACK_DONE_KEY] = message
    session.pop(DONE_KEY, None)
    session.pop(ROLLBACK_FAILED_KEY, None)


def rollback_message(name: str, version: Mapping | None, lang: str) -> str:
    """The rollback success message: the indicator's name, the version's number and date
    (never internal ids).

    Examples
    --------
    >>> rollback_message("IPM", {"number": 3, "created_at": "2025-01-02 03:04:05"}, "en")
    'IPM is back at version 3 of 2025-01-02 03:04.'
    >>> rollback_message("IPM", None, "en")
    'IPM is back at its previous version.'
    """
    if not version:
        return translate("unggah.versions.rolled_back_plain", lang, name=name)
    return translate("unggah.versions.rolled_back", lang, name=name, number=version["number"],
                     when=str(version["created_at"])[:16].replace("T", " "))

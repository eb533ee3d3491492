"""Sign-in of analysts (who may upload and roll back); everybody else only reads.

Credentials are bcrypt hashes kept in ``.streamlit/secrets.toml`` (git-ignored), one table per
analyst under ``rbk_analysts``::

    [rbk_analysts.ana]
    name = "Ana (Bappeda)"
    password_hash = "$2b$12$..."

Make a hash with ``.venv/bin/python -m ui.auth hash NAME`` (the project's virtualenv has
bcrypt; the password is read without echo; the command prints the TOML table to paste). The
user name is letters, digits and ``._-`` only; a password longer than 72 bytes (bcrypt's
limit) is refused with a message. ``RBK_SECRETS_FILE`` points to another TOML file with the same
layout (tests use a temporary one; nothing real is committed). Where an OIDC provider is
configured for ``st.login`` (Streamlit's ``[auth]`` secrets), analysts may sign in through it
instead; only the e-mail addresses listed in ``rbk_oidc.analysts`` get the analyst role.

Passwords are compared with :func:`bcrypt.checkpw` (an unknown user name costs the same time as
a wrong password). Failed attempts are counted in the store per account name and per client
address (``st.context.ip_address``) through :func:`ui.data.signin.attempt` (which the page
hands to :func:`sign_in_form`), so a lock (by default 5
failures in 15 minutes → 15 minutes, ``RBK_SIGNIN_*``) holds for every session, process,
replica and restart; every attempt is audited. When the store cannot be used, nobody can sign
in (the lockout could not be enforced), with a message.

Uploads are for signed-in sessions only: the page renders no file uploader for anyone else,
and :func:`guard_uploads` makes the server drop a file sent to a session that is not signed
in (Streamlit's upload endpoint accepts files for any open session) and keep at most the
newest file of a signed-in session, so no session holds more than one upload-size limit
(``docs/upload.md``, "What the server holds per session").
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import sys
import threading
import tomllib
from dataclasses import dataclass

import bcrypt
import streamlit as st

SESSION_USER = "auth_user"
SESSION_NAME = "auth_name"
#: Set while the session's analyst may upload (read by :func:`guard_uploads`).
SESSION_UPLOADS = "auth_uploads"
#: The browser that signed in: an HMAC of its cookie and address (see :func:`privileged`).
SESSION_BROWSER = "auth_browser"
#: A message key shown once by the sign-in form (why the session was signed out).
SESSION_NOTICE = "auth_notice"
#: The per-browser random cookie the server sets on the first page load (Streamlit's XSRF
#: cookie): a second client presenting a stolen session id does not carry it.
BROWSER_COOKIE = "_streamlit_xsrf"
# Key of the browser binding's HMAC: per process, like the session state that holds it.
_BINDING_KEY = secrets.token_bytes(32)
#: A user name of the credentials file: letters, digits, ``.``, ``_`` and ``-``.
USERNAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
#: bcrypt uses the first 72 bytes of a password only; longer ones are refused.
MAX_PASSWORD_BYTES = 72
# A valid hash of a random password: unknown user names are checked against it.
_DUMMY_HASH = b"$2b$12$jYjrzbWk5C.GTzyoF0pwq.z.hELEZk0f7W4WzOkdUSWOOlcBwfTX2"


@dataclass(frozen=True)
class Analyst:
    """A signed-in analyst (or one entry of the credentials file)."""

    username: str
    name: str
    password_hash: str = ""


def _secrets() -> dict:
    path = os.environ.get("RBK_SECRETS_FILE", "").strip()
    if path:
        try:
            with open(path, "rb") as fh:
                return tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError):
            return {}
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets file: nobody can sign in
        return {}


def analysts(secrets: dict | None = None) -> dict[str, Analyst]:
    """The analysts of the credentials file, by user name (empty when none is configured)."""
    table = (secrets if secrets is not None else _secrets()).get("rbk_analysts") or {}
    out = {}
    for username, entry in table.items():
        if isinstance(entry, dict) and isinstance(entry.get("password_hash"), str):
            out[str(username)] = Analyst(str(username), str(entry.get("name") or username), entry["password_hash"])
    return out


def verify(username: str, password: str, secrets: dict | None = None) -> Analyst | None:
    """The analyst when ``password`` matches the stored bcrypt hash of ``username``, else None.

    Examples
    --------
    >>> h = hash_password("rahasia-123", rounds=4)
    >>> verify("ana", "rahasia-123", {"rbk_analysts": {"ana": {"password_hash": h}}}).username
    'ana'
    >>> verify("ana", "salah", {"rbk_analysts": {"ana": {"password_hash": h}}}) is None
    True
    """
    entry = analysts(secrets).get((username or "").strip())
    stored = entry.password_hash.encode() if entry else _DUMMY_HASH
    try:
        ok = bcrypt.checkpw((password or "").encode("utf-8"), stored)
    except ValueError:  # a malformed hash in the file
        ok = False
    return entry if ok and entry else None


def hash_password(password: str, rounds: int = 12) -> str:
    """A bcrypt hash of ``password`` for the credentials file."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode()


def oidc_analysts(secrets: dict | None = None) -> set[str]:
    """E-mail addresses that get the analyst role when signed in through ``st.login``."""
    table = (secrets if secrets is not None else _secrets()).get("rbk_oidc") or {}
    return {str(e).strip().lower() for e in table.get("analysts", []) if str(e).strip()}


# --------------------------------------------------------------------------- streamlit
def current_analyst() -> Analyst | None:
    """The analyst signed in to this session, or None for a reader."""
    user = st.session_state.get(SESSION_USER)
    if user:
        return Analyst(user, st.session_state.get(SESSION_NAME) or user)
    try:
        if getattr(st.user, "is_logged_in", False):
            email = str(st.user.get("email") or "").lower()
            if email and email in oidc_analysts():
                return Analyst(email, str(st.user.get("name") or email))
    except Exception:  # st.user without an [auth] configuration
        pass
    return None


def sign_out() -> None:
    """Forget the analyst of this session."""
    for key in (SESSION_USER, SESSION_NAME, SESSION_UPLOADS, SESSION_BROWSER):
        st.session_state.pop(key, None)


def browser_cookie() -> str | None:
    """The per-browser cookie the current connection presented (None when absent)."""
    try:
        value = st.context.cookies.get(BROWSER_COOKIE)
    except Exception:  # outside a running server (bare script)
        return None
    return value if isinstance(value, str) else None


def browser_secret(cookie: str | None) -> str:
    """The stable part of the browser's XSRF cookie: its token without the per-response mask
    (the server re-masks the cookie on every page load; the token stays).

    Examples
    --------
    >>> def cookie(mask):
    ...     masked = bytes(b ^ m for b, m in zip(b"secr", bytes.fromhex(mask)))
    ...     return f"2|{mask}|{masked.hex()}|1700000000"
    >>> browser_secret(cookie("0a0b0c0d")) == browser_secret(cookie("01020304")) == b"secr".hex()
    True
    """
    value = (cookie or "").strip("\"'")
    parts = value.split("|")
    if len(parts) == 4 and parts[0] == "2":
        try:
            mask, masked = bytes.fromhex(parts[1]), bytes.fromhex(parts[2])
        except ValueError:
            return value
        if mask:
            return bytes(b ^ mask[i % len(mask)] for i, b in enumerate(masked)).hex()
    return value


def browser_binding(cookie: str | None, address: str | None) -> str:
    """The signed value that ties a sign-in to a browser: HMAC of its cookie and address.

    Examples
    --------
    >>> browser_binding("2|ab|cd|1", "10.0.0.1") == browser_binding("2|ab|cd|1", "10.0.0.1")
    True
    >>> browser_binding("2|ab|cd|1", "10.0.0.1") == browser_binding("2|ab|cd|1", "10.0.0.2")
    False
    """
    text = f"{browser_secret(cookie)}\x1f{address or ''}".encode()
    return hmac.new(_BINDING_KEY, text, hashlib.sha256).hexdigest()


def _presented_binding() -> str:
    return browser_binding(browser_cookie(), client_address())


def privileged() -> Analyst | None:
    """The analyst, when the current request comes from the browser that signed in.

    Commit and rollback call this. Streamlit lets a second websocket that presents a
    session's id take the session over (the id travels in every upload URL, so it may be in
    proxy logs); the session state then serves the new connection. The sign-in recorded
    :func:`browser_binding` of the browser's cookie and address; a request whose connection
    presents another cookie or address is refused, and the session is signed out (the sign-in
    form says why). Sign-ins through ``st.login`` are bound by Streamlit itself (its signed
    identity cookie must match the session's user).
    """
    analyst = current_analyst()
    if analyst is None:
        return None
    bound = st.session_state.get(SESSION_BROWSER)
    if not st.session_state.get(SESSION_USER):  # signed in through st.login
        return analyst
    if bound is not None and hmac.compare_digest(bound, _presented_binding()):
        return analyst
    _log.warning("privileged action refused: the request does not come from the browser "
                 "that signed in")
    sign_out()
    st.session_state[SESSION_NOTICE] = "unggah.auth.other_browser"
    return None


_guard_lock = threading.Lock()
_log = logging.getLogger("rbk.auth")


def _may_upload(rt, session_id: str) -> bool:
    """Whether the session ``session_id`` has a signed-in analyst (False when unknown)."""
    try:
        info = rt._session_mgr.get_active_session_info(session_id)
        return bool(info is not None and info.session.session_state[SESSION_UPLOADS])
    except Exception:  # not signed in, or Streamlit's internals changed: refuse
        return False


def guard_uploads() -> None:
    """Make this server keep uploaded files only for signed-in sessions, one file each.

    Streamlit's ``/_stcore/upload_file/<session>/<file>`` endpoint stores a file for any open
    session, whether or not it rendered a file uploader; the files stay in memory until the
    session ends. Wrapped once per process: a file for a session that is not signed in is
    dropped (the request still answers 204, nothing is kept); a signed-in session keeps only
    its newest file (the page's uploader takes one file).
    """
    from streamlit import runtime

    if not runtime.exists():
        return
    rt = runtime.get_instance()
    mgr = rt.uploaded_file_mgr
    with _guard_lock:
        if getattr(mgr, "_rbk_guarded", False):
            return
        add_file = mgr.add_file

        def guarded_add_file(session_id, file):
            if not _may_upload(rt, session_id):
                _log.warning("upload dropped: session is not signed in")
                return
            mgr.remove_session_files(session_id)
            add_file(session_id, file)

        mgr.add_file = guarded_add_file
        mgr._rbk_guarded = True


def sign_in_form(t, attempt) -> Analyst | None:
    """Draw the sign-in form; return the analyst once signed in.

    ``t`` translates keys; ``attempt`` is :func:`ui.data.signin.attempt` (the lockout kept in
    the store), handed in by the page.
    """
    analyst = current_analyst()
    if analyst is not None:
        st.session_state[SESSION_UPLOADS] = True
        return analyst
    st.session_state.pop(SESSION_UPLOADS, None)
    notice = st.session_state.pop(SESSION_NOTICE, None)
    if notice:
        st.error(t(notice))
    if not analysts() and not oidc_analysts():
        # A fresh installation: say how the administrator creates an account.
        st.info(t("unggah.auth.no_accounts"))
    with st.form("auth_sign_in"):
        st.subheader(t("unggah.auth.title"))
        st.caption(t("unggah.auth.intro"))
        username = st.text_input(t("unggah.auth.username"), key="auth_username")
        password = st.text_input(t("unggah.auth.password"), type="password", key="auth_password")
        submitted = st.form_submit_button(t("unggah.auth.submit"))
    if submitted and _attempt(t, username, password, attempt):
        st.session_state.pop("auth_password", None)
        st.rerun()
    if oidc_analysts() and _secrets().get("auth"):
        if st.button(t("unggah.auth.oidc")):
            st.login()
    return None


def client_address() -> str | None:
    """The address of this session's browser connection (None for a local one)."""
    try:
        address = st.context.ip_address
    except Exception:  # outside a running server (bare script)
        return None
    return address if isinstance(address, str) else None  # AppTest gives a mock


def _attempt(t, username: str, password: str, attempt) -> bool:
    """One sign-in through ``attempt`` (the store's lockout, :func:`ui.data.signin.attempt`);
    True when signed in, else the reason is shown."""
    outcome = attempt(username, client_address(), lambda: verify(username, password))
    if outcome.status == "ok":
        st.session_state[SESSION_USER] = outcome.analyst.username
        st.session_state[SESSION_NAME] = outcome.analyst.name
        st.session_state[SESSION_BROWSER] = _presented_binding()
        return True
    if outcome.status == "unavailable":
        st.error(t("unggah.auth.unavailable"))
    if outcome.status == "failed":
        st.error(t("unggah.auth.failed"))
    if outcome.minutes:
        st.warning(t("unggah.auth.locked", minutes=outcome.minutes))
    return False


def credentials_entry(username: str, password: str, name: str | None = None,
                      rounds: int = 12) -> str:
    """The TOML table of one analyst for ``secrets.toml``.

    Raises
    ------
    ValueError
        With a message for the user: a user name outside letters, digits and ``._-``, or a
        password under 10 characters or over 72 bytes.

    Examples
    --------
    >>> import tomllib
    >>> entry = tomllib.loads(credentials_entry("ana.b", "kata-sandi-panjang", "Ana \\"B\\"", 4))
    >>> entry["rbk_analysts"]["ana.b"]["name"]
    'Ana "B"'
    >>> credentials_entry("ana]\\n[x", "kata-sandi-panjang")
    Traceback (most recent call last):
    ValueError: The user name may hold letters, digits, '.', '_' and '-' only (1-64 characters).
    """
    if not USERNAME.match(username or ""):
        raise ValueError("The user name may hold letters, digits, '.', '_' and '-' only "
                         "(1-64 characters).")
    if len(password) < 10:
        raise ValueError("Use at least 10 characters.")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise ValueError(f"The password is longer than {MAX_PASSWORD_BYTES} bytes (bcrypt's "
                         "limit); choose a shorter one.")
    return (f"[rbk_analysts.{json.dumps(username)}]\nname = {json.dumps(name or username)}\n"
            f"password_hash = {json.dumps(hash_password(password, rounds))}")


def _main(argv: list[str]) -> int:
    """``python -m ui.auth hash USERNAME``: print a credentials table for secrets.toml."""
    if len(argv) < 1 or argv[0] != "hash":
        print("usage: .venv/bin/python -m ui.auth hash [USERNAME]   (reads the password without "
              "echo, or from stdin when it is not a terminal)", file=sys.stderr)
        return 2
    username = argv[1] if len(argv) > 1 else "analis"
    if not USERNAME.match(username):
        print("The user name may hold letters, digits, '.', '_' and '-' only (1-64 characters).",
              file=sys.stderr)
        return 1
    if sys.stdin.isatty():
        password = getpass.getpass("Kata sandi / password: ")
        again = getpass.getpass("Ulangi / repeat: ")
        if password != again:
            print("The passwords differ.", file=sys.stderr)
            return 1
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        print(credentials_entry(username, password))
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))


__all__ = ["Analyst", "analysts", "browser_binding", "browser_cookie", "client_address",
           "credentials_entry", "current_analyst", "guard_uploads", "hash_password",
           "oidc_analysts", "privileged", "sign_in_form", "sign_out", "verify"]

"""Sign-in of analysts (who may upload and roll back); everybody else only reads.

Credentials are bcrypt hashes kept in ``.streamlit/secrets.toml`` (git-ignored), one table per
analyst under ``rbk_analysts``::

    [rbk_analysts.ana]
    name = "Ana (Bappeda)"
    password_hash = "$2b$12$..."

Make a hash with ``python -m ui.auth hash`` (the password is read without echo; the command
prints the TOML table to paste). ``RBK_SECRETS_FILE`` points to another TOML file with the same
layout (tests use a temporary one; nothing real is committed). Where an OIDC provider is
configured for ``st.login`` (Streamlit's ``[auth]`` secrets), analysts may sign in through it
instead; only the e-mail addresses listed in ``rbk_oidc.analysts`` get the analyst role.

Passwords are compared with :func:`bcrypt.checkpw` (an unknown user name costs the same time as
a wrong password). After :data:`MAX_FAILURES` failed attempts a session waits
:data:`LOCK_SECONDS` before it may try again.
"""

from __future__ import annotations

import getpass
import os
import sys
import time
import tomllib
from dataclasses import dataclass

import bcrypt
import streamlit as st

SESSION_USER = "auth_user"
SESSION_NAME = "auth_name"
SESSION_FAILURES = "auth_failures"
SESSION_LOCKED_UNTIL = "auth_locked_until"
MAX_FAILURES = 5
LOCK_SECONDS = 30.0
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
    for key in (SESSION_USER, SESSION_NAME):
        st.session_state.pop(key, None)


def sign_in_form(t) -> Analyst | None:
    """Draw the sign-in form; return the analyst once signed in (``t`` translates keys)."""
    analyst = current_analyst()
    if analyst is not None:
        return analyst
    if not analysts() and not oidc_analysts():
        # A fresh installation: say how the administrator creates an account.
        st.info(t("unggah.auth.no_accounts"))
    locked = st.session_state.get(SESSION_LOCKED_UNTIL, 0.0) - time.time()
    with st.form("auth_sign_in"):
        st.subheader(t("unggah.auth.title"))
        st.caption(t("unggah.auth.intro"))
        username = st.text_input(t("unggah.auth.username"), key="auth_username")
        password = st.text_input(t("unggah.auth.password"), type="password", key="auth_password")
        submitted = st.form_submit_button(t("unggah.auth.submit"))
    if submitted:
        if locked > 0:
            st.warning(t("unggah.auth.locked", seconds=int(locked) + 1))
            return None
        found = verify(username, password)
        if found is None:
            failures = st.session_state.get(SESSION_FAILURES, 0) + 1
            st.session_state[SESSION_FAILURES] = failures
            if failures >= MAX_FAILURES:
                st.session_state[SESSION_LOCKED_UNTIL] = time.time() + LOCK_SECONDS
                st.session_state[SESSION_FAILURES] = 0
            st.error(t("unggah.auth.failed"))
            return None
        st.session_state[SESSION_USER] = found.username
        st.session_state[SESSION_NAME] = found.name
        st.session_state[SESSION_FAILURES] = 0
        st.session_state.pop("auth_password", None)
        st.rerun()
    if oidc_analysts() and _secrets().get("auth"):
        if st.button(t("unggah.auth.oidc")):
            st.login()
    return None


def _main(argv: list[str]) -> int:
    """``python -m ui.auth hash [USERNAME]``: print a credentials table for secrets.toml."""
    if len(argv) < 1 or argv[0] != "hash":
        print("usage: python -m ui.auth hash [USERNAME]   (reads the password without echo, "
              "or from stdin when it is not a terminal)", file=sys.stderr)
        return 2
    username = argv[1] if len(argv) > 1 else "analis"
    if sys.stdin.isatty():
        password = getpass.getpass("Kata sandi / password: ")
        again = getpass.getpass("Ulangi / repeat: ")
        if password != again:
            print("The passwords differ.", file=sys.stderr)
            return 1
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < 10:
        print("Use at least 10 characters.", file=sys.stderr)
        return 1
    print(f'[rbk_analysts.{username}]\nname = "{username}"\npassword_hash = "{hash_password(password)}"')
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))


__all__ = ["Analyst", "analysts", "current_analyst", "hash_password", "oidc_analysts", "sign_in_form",
           "sign_out", "verify"]

"""A second websocket that presents a signed-in analyst's session id cannot commit (issue 11).

The analyst signs in, chooses a file and ticks the confirmation in a real browser. A second
client — a plain websocket from this test, with a browser cookie of its own, as someone who
read the session id in a proxy log of upload URLs — connects with that session id (Streamlit
hands it the session) and sends the analyst's own last widget states plus a click on the
commit button (the most favourable request an attacker could make: the ids and values are
copied from the analyst's traffic). The server must refuse: no version is stored, and the
refusal is what the second client is shown.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_harness import CHROMIUM, stop_server, wait_idle
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from test_upload import FILE_C, _server, choose_file, sign_in
from websockets.sync.client import connect

import store

UPLOAD_URL = re.compile(r"/_stcore/upload_file/([0-9a-f-]{36})/")


@pytest.fixture
def takeover_server(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make browser)")
    proc, base, url = _server(tmp_path)
    try:
        yield base, url
    finally:
        stop_server(proc)
        store.dispose_all()


def own_cookie(browser, base: str) -> str:
    """The ``_streamlit_xsrf`` cookie another browser gets from its first page load."""
    context = browser.new_context()
    try:
        context.new_page().goto(base + "/")
        return next(c["value"] for c in context.cookies() if c["name"] == "_streamlit_xsrf")
    finally:
        context.close()


def second_client(base: str, cookie: str, session_id: str, message: bytes) -> list[ForwardMsg]:
    """Connect with the cookie of another browser and ``session_id``, send ``message``,
    collect what comes back until the run ends."""
    ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
    received: list[ForwardMsg] = []
    with connect(
        ws_url, subprotocols=["streamlit", cookie, session_id], max_size=None,
        additional_headers={"Cookie": f"_streamlit_xsrf={cookie}", "Origin": base},
    ) as ws:
        ws.send(message)
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(ws.recv(timeout=60))
            received.append(msg)
            if msg.WhichOneof("type") == "script_finished":
                return received


def texts(messages: list[ForwardMsg]) -> str:
    return "\n".join(str(m.delta.new_element) for m in messages if m.HasField("delta"))


def test_a_second_websocket_with_the_session_id_cannot_commit(takeover_server, browser):
    base, url = takeover_server
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    sent: list[BackMsg] = []
    received: list[ForwardMsg] = []
    session_ids: set[str] = set()

    def on_socket(ws):
        def keep_sent(payload):
            if isinstance(payload, bytes):
                sent.append(BackMsg.FromString(payload))

        def keep_received(payload):
            if isinstance(payload, bytes):
                received.append(ForwardMsg.FromString(payload))

        ws.on("framesent", keep_sent)
        ws.on("framereceived", keep_received)

    page.on("websocket", on_socket)
    page.on("request", lambda r: session_ids.update(UPLOAD_URL.findall(r.url)))
    sign_in(page, base)
    choose_file(page, "c.csv", FILE_C)
    page.get_by_text("Saya sudah memeriksa laporan").click()
    wait_idle(page)
    versions_before = len(store.versions(url=url))
    assert len(session_ids) == 1  # the id, as it appears in the upload URL

    # the analyst's last request, and the commit button's id, from the analyst's own traffic
    last = next(m for m in reversed(sent) if m.WhichOneof("type") == "rerun_script")
    commit_id = next(m.delta.new_element.button.id for m in received
                     if m.HasField("delta") and m.delta.new_element.WhichOneof("type") == "button"
                     and m.delta.new_element.button.id.endswith("_commit"))
    attack = BackMsg()
    attack.rerun_script.CopyFrom(last.rerun_script)
    kept = [w for w in attack.rerun_script.widget_states.widgets if w.id != commit_id]
    del attack.rerun_script.widget_states.widgets[:]
    attack.rerun_script.widget_states.widgets.extend(kept)
    attack.rerun_script.widget_states.widgets.add(id=commit_id, trigger_value=True)

    shown = second_client(base, own_cookie(browser, base), session_ids.pop(),
                          attack.SerializeToString())
    assert len(store.versions(url=url)) == versions_before  # nothing stored
    assert "sekarang aktif" not in texts(shown)
    assert "tidak datang dari peramban yang masuk" in texts(shown)  # the callback ran, refused
    context.close()

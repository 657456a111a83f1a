"""Who may use the app: serving beyond loopback warns, sign-in from a users file (hashed passwords), the
reviewer and note kept with each decision, Host names checked against DNS rebinding, Origin checked with its
scheme."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import duckdb
import pytest

pytest.importorskip("fastapi", reason="the web tests need the [web] extra: pip install 'nianbao[web]'")
pytest.importorskip("argon2", reason="sign-in needs argon2-cffi: pip install 'nianbao[web]'")

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from nianbao.cli import app as cli_app
from nianbao.web import create_app
from nianbao.web.identity import Identity, Users, add_user, served_hosts

from .conftest import broken_report

PASSWORD = "正确的密码 42"
NOTE = "已核实原件"


def test_serving_beyond_loopback_warns(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    served: list[tuple[Any, ...]] = []
    monkeypatch.setattr("nianbao.web.serve", lambda *args: served.append(args))
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(tmp_path / "c.duckdb"), "--host", "0.0.0.0"])
    assert result.exit_code == 0 and "警告" in result.output and "--auth" in result.output
    quiet = CliRunner().invoke(cli_app, ["serve", "--db", str(tmp_path / "c.duckdb")])
    assert quiet.exit_code == 0 and "警告" not in quiet.output and len(served) == 2


def _users(tmp_path: Path) -> Users:
    path = tmp_path / "users.txt"
    add_user(path, "张三", PASSWORD)
    assert PASSWORD not in path.read_text(encoding="utf-8") and "$argon2" in path.read_text(encoding="utf-8")
    return Users.load(path)


def test_sign_in_and_the_reviewer_on_each_decision(corpus_db: Path, tmp_path: Path) -> None:
    with TestClient(create_app(corpus_db, identity=Identity(_users(tmp_path)))) as client:
        page = client.get("/", headers={"accept": "text/html"}, follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"].startswith("/login")
        assert client.get("/api/reports").status_code == 401
        upload = client.post("/api/reports", files={"file": ("r.txt", broken_report(), "text/plain")})
        assert upload.status_code == 401
        wrong = client.post("/login", data={"name": "张三", "password": "错"}, follow_redirects=False)
        assert wrong.status_code == 401 and "用户名或密码不正确" in wrong.text
        token = base64.b64encode(f"张三:{PASSWORD}".encode()).decode()
        assert client.get("/api/reports", headers={"authorization": f"Basic {token}"}).status_code == 200
        signed = client.post("/login", data={"name": "张三", "password": PASSWORD, "next": "//evil.example/"},
                             follow_redirects=False)
        assert signed.status_code == 303 and signed.headers["location"] == "/"
        assert "张三" in client.get("/", headers={"accept": "text/html"}).text
        body = client.post("/api/reports", files={"file": ("r.txt", broken_report(), "text/plain")}).json()
        key = next(r["key"] for r, f in zip(body["reviews"], body["report"]["findings"], strict=True)
                   if f["rule"] == "T3.balance")
        client.post(f"/reports/{body['id']}/findings/{key}/review", data={"decision": "dismissed", "note": NOTE})
        client.post("/logout")
        assert client.get("/api/reports").status_code == 401
    con = duckdb.connect(str(corpus_db), read_only=True)
    assert con.execute("SELECT decision, reviewer, note FROM reviews").fetchall() == [("dismissed", "张三", NOTE)]
    con.close()


def test_foreign_host_names_and_origins_are_refused(corpus_db: Path) -> None:
    app = create_app(corpus_db, identity=Identity(hosts=served_hosts(["nianbao.example.gov.cn"])))
    with TestClient(app, base_url="http://127.0.0.1:8765") as client:
        assert client.get("/api/reports").status_code == 200
        assert client.get("/api/reports", headers={"host": "nianbao.example.gov.cn"}).status_code == 200
        assert client.get("/api/reports", headers={"host": "localhost:8765"}).status_code == 200
        rebound = client.post("/api/reports", files={"file": ("r.txt", broken_report(), "text/plain")},
                              headers={"host": "evil.example:8765", "origin": "http://evil.example:8765"})
        assert rebound.status_code == 400
        assert client.get("/api/reports", headers={"host": "evil.example:8765"}).status_code == 400
        other_scheme = client.post("/api/reports", files={"file": ("r.txt", broken_report(), "text/plain")},
                                   headers={"origin": "https://127.0.0.1:8765"})
        assert other_scheme.status_code == 403
        assert client.get("/api/reports").json()["total"] == 6

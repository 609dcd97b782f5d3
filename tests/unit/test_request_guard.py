import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from shared.http_errors import install_error_handlers
from shared.request_guard import RequestGuard, unstorable_fields


class Child(BaseModel):
    name: str
    notes: list[str] = []


class Body(BaseModel):
    child: Child


def guarded_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(RequestGuard)

    @app.get("/things/{code}")
    async def thing(code: str, actor: str | None = None) -> dict:
        return {"code": code, "actor": actor}

    @app.post("/things")
    async def make(body: Body) -> dict:
        return {"name": body.child.name}

    return app


@pytest.fixture
async def client():
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=guarded_app()), base_url="http://t") as client:
        yield client


async def test_a_nul_in_a_query_parameter_is_a_422_naming_it(client):
    answer = await client.get("/things/140724104", params={"actor": "a\x00b"})
    assert answer.status_code == 422
    problem = {"field": "actor", "code": "control_characters", "message": "含有不能保存的控制字符"}
    assert answer.json()["errors"] == [problem]


async def test_a_nul_in_the_path_is_a_422(client):
    answer = await client.get("/things/%00")
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "path"


async def test_control_characters_in_a_json_body_are_named_by_their_path_and_not_echoed(client):
    answer = await client.post("/things", json={"child": {"name": "张\x00三", "notes": ["ok", "bell\x07"]}})
    assert answer.status_code == 422
    assert [problem["field"] for problem in answer.json()["errors"]] == ["child.name", "child.notes.1"]
    assert "张" not in answer.text


async def test_text_with_tabs_and_line_breaks_passes_untouched(client):
    answer = await client.post("/things", json={"child": {"name": "张三\r\n\t李四"}})
    assert answer.status_code == 200
    assert answer.json() == {"name": "张三\r\n\t李四"}


async def test_a_lone_surrogate_is_refused(client):
    answer = await client.post(
        "/things", content=b'{"child": {"name": "\\ud800"}}', headers={"content-type": "application/json"}
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "child.name"


def test_keys_and_nested_values_are_searched():
    assert list(unstorable_fields({"a\x01": 1, "b": [{"c": "\x1f"}], "d": "fine"})) == ["a\x01", "b.0.c"]


@pytest.mark.parametrize("depth", [33, 100_000])
async def test_a_body_nested_too_deep_is_a_422_naming_the_body(client, depth):
    body = '{"child": {"name": "张三", "notes": ' + "[" * depth + "]" * depth + "}}"
    answer = await client.post("/things", content=body, headers={"Content-Type": "application/json"})
    assert (answer.status_code, answer.json()["errors"][0]["field"]) == (422, "body")
    assert answer.json()["errors"][0]["code"] == "json_too_deep"


async def test_a_body_that_is_not_json_is_a_422_naming_the_body_not_a_position(client):
    answer = await client.post("/things", content=b'{"child": ', headers={"Content-Type": "application/json"})
    assert answer.status_code == 422
    assert [(e["field"], e["code"]) for e in answer.json()["errors"]] == [("body", "json_invalid")]

"""docker-compose.yml, the Dockerfile and .env.example, checked without a container engine: the keys are the
Compose specification's, every service it names exists, every Airflow service shares one configuration (the
JWT secret among it), every variable is in .env.example and no secret is in the repository, each component
logs in to the warehouse as its own role, and the image installs exactly the lock file."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from cadre import access

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
COMPOSE_TEXT = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
ENV_EXAMPLE = (ROOT / ".env.example").read_text(encoding="utf-8")
SERVICES = COMPOSE["services"]
AIRFLOW = [name for name, s in SERVICES.items() if s.get("build") == "."]

# The keys of the Compose specification (compose-spec.io, "services" and top level) this file may use.
SERVICE_KEYS = {
    "build", "command", "container_name", "depends_on", "entrypoint", "environment", "env_file", "expose",
    "healthcheck", "image", "ports", "profiles", "restart", "user", "volumes", "working_dir", "deploy",
}  # fmt: skip
TOP_KEYS = {"services", "volumes", "networks", "secrets", "configs", "name"}
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}
LOCKED = dict(re.findall(r"^([A-Za-z0-9_.-]+)==([^ \\\n]+)", (ROOT / "requirements.lock").read_text(), re.M))


def _url(value: str):
    """A URL of the file with its ``${VARIABLE:?}`` parts filled in, parsed."""
    return urlparse(re.sub(r"\$\{[A-Z0-9_]+(:[?-][^}]*)?\}", "filled", value))


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_file_keeps_to_the_compose_specification():
    assert {k for k in COMPOSE if not k.startswith("x-")} <= TOP_KEYS
    for name, service in SERVICES.items():
        assert set(service) <= SERVICE_KEYS, f"{name}: {set(service) - SERVICE_KEYS}"
        assert "image" in service or "build" in service, name
        for other, rule in (service.get("depends_on") or {}).items():
            assert other in SERVICES, f"{name} depends on a service that does not exist: {other}"
            assert rule["condition"] in CONDITIONS
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith((".", "/")):
                assert source in COMPOSE["volumes"], f"{name}: volume {source} is not declared"
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} beyond this host"
    healthy = {name for name, s in SERVICES.items() if "healthcheck" in s}
    for name, service in SERVICES.items():
        for other, rule in (service.get("depends_on") or {}).items():
            if rule["condition"] == "service_healthy":
                assert other in healthy, f"{name} waits for {other} to be healthy, which has no healthcheck"


def test_it_mirrors_airflows_celery_stack_with_scalable_workers():
    expected = {
        "airflow-postgres", "redis", "airflow-init", "airflow-apiserver", "airflow-scheduler",
        "airflow-dag-processor", "airflow-triggerer", "airflow-worker", "flower", "warehouse", "superset",
    }  # fmt: skip
    assert expected <= set(SERVICES)
    assert SERVICES["airflow-worker"]["command"] == "celery worker"
    assert "container_name" not in SERVICES["airflow-worker"]  # `--scale airflow-worker=N`
    assert SERVICES["flower"]["profiles"] == ["flower"]
    assert SERVICES["warehouse"]["image"] == "postgres:18"
    assert SERVICES["airflow-init"]["depends_on"]["cadre-init"]["condition"] == "service_completed_successfully"


def test_every_airflow_service_shares_one_configuration():
    envs = {name: SERVICES[name]["environment"] for name in AIRFLOW}
    assert {"airflow-apiserver", "airflow-scheduler", "airflow-worker", "cadre-init"} <= set(envs)
    shared = {k: v for k, v in envs["airflow-scheduler"].items() if k.startswith(("AIRFLOW__", "CADRE_"))}
    assert shared["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    for key in ("AIRFLOW__API_AUTH__JWT_SECRET", "AIRFLOW__CORE__FERNET_KEY", "AIRFLOW__CELERY__BROKER_URL"):
        assert key in shared
    for name, env in envs.items():
        for key, value in shared.items():
            assert env.get(key) == value, f"{name}: {key} differs from the scheduler's"
    assert _url(shared["AIRFLOW__CELERY__BROKER_URL"]).hostname == "redis"
    assert _url(shared["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]).hostname == "airflow-postgres"
    assert _url(shared["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"]).hostname == "airflow-apiserver"


def test_each_component_logs_in_as_its_own_role_and_only_cadre_init_as_the_administrator():
    env = SERVICES["airflow-worker"]["environment"]
    for component, role in access.COMPONENTS.items():
        if component == "bi":
            continue
        url = _url(env[f"CADRE_{component.upper()}_URL"])
        assert (url.username, url.hostname) == (role, "warehouse")
    # dbt's profile inside the workers is the transformer's login
    transformer = _url(env["CADRE_TRANSFORMER_URL"])
    assert env["CADRE_DB_USER"] == transformer.username
    assert env["CADRE_DB_PASSWORD"] in env["CADRE_TRANSFORMER_URL"]
    assert (env["CADRE_DB_HOST"], env["CADRE_DB_NAME"]) == (transformer.hostname, transformer.path.lstrip("/"))
    admins = [name for name, s in SERVICES.items() if "CADRE_WAREHOUSE_URL" in (s.get("environment") or {})]
    assert admins == ["cadre-init"]
    assert SERVICES["cadre-init"]["entrypoint"] == ["cadre", "access", "setup"]
    assert _url(SERVICES["superset"]["environment"]["CADRE_BI_URL"]).username == access.BI_LOGIN


def test_every_variable_is_named_in_env_example_and_no_secret_is_committed():
    used = set(re.findall(r"(?<!\$)\$\{([A-Z0-9_]+)", COMPOSE_TEXT))
    named = dict(re.findall(r"^([A-Z0-9_]+)=(.*)$", ENV_EXAMPLE, re.M))
    assert used == set(named), f"only in compose: {used - set(named)}; only in .env.example: {set(named) - used}"
    secrets = {k for k in named if re.search(r"PASSWORD|SECRET|KEY", k)}
    assert secrets
    assert all(named[k] == "" for k in secrets)
    for key in secrets:  # compose refuses to start without them
        assert re.search(r"\$\{" + key + r":\?\}", COMPOSE_TEXT), key
    for user, password in re.findall(r"://([^:@/\s]+):([^@\s]*)@", COMPOSE_TEXT):
        assert re.fullmatch(r"\$\{[A-Z0-9_]+:\?\}", password), f"a literal password for {user}: {password}"
    assert ".env" in (ROOT / ".gitignore").read_text().split()


def test_the_image_installs_exactly_the_lock_on_the_locked_airflow():
    args = dict(re.findall(r"^ARG ([A-Z_]+)=(\S+)", DOCKERFILE, re.M))
    assert args["AIRFLOW_VERSION"] == LOCKED["apache-airflow"]
    python = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert f">={args['PYTHON_VERSION']}" in python
    assert "FROM apache/airflow:${AIRFLOW_VERSION}-python${PYTHON_VERSION}" in DOCKERFILE
    assert re.search(r"uv pip sync .*requirements\.lock", DOCKERFILE)
    assert "grep -m1 -o '^uv==[0-9.]*' requirements.lock" in DOCKERFILE  # uv itself as locked
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    copied = set(re.findall(r"^COPY --chown=\S+ (\w+) ", DOCKERFILE, re.M))
    assert {p.rstrip("*") for p in packages["include"]} | {"dags", "dbt_project"} <= copied


@pytest.mark.skipif(not LOCKED, reason="no lock file")
def test_uv_pip_sync_of_the_lock_gives_exactly_its_packages():
    """The image syncs the lock as `make setup` does; this environment was made that way: its packages are
    the lock's, at the lock's versions, and nothing else but the project itself."""
    installed = {_norm(d.metadata["Name"]): d.version for d in metadata.distributions()}
    locked = {_norm(k): v for k, v in LOCKED.items()}
    installed.pop("cadre-warehouse")
    installed.pop("pip", None)  # seeded by `python -m venv`, which uv's sync leaves alone
    assert installed == locked

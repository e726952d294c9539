# The image every Airflow service of docker-compose.yml runs (and `cadre access setup` in cadre-init): the
# official Airflow image for its user, entrypoint and tools, with this project in a virtual environment of its
# own whose packages are exactly requirements.lock (`uv pip sync`: hash-checked, nothing more, nothing less).
ARG AIRFLOW_VERSION=3.3.2
ARG PYTHON_VERSION=3.11
FROM apache/airflow:${AIRFLOW_VERSION}-python${PYTHON_VERSION}

USER airflow
WORKDIR /opt/cadre
ENV VIRTUAL_ENV=/opt/cadre/.venv
ENV PATH=/opt/cadre/.venv/bin:${PATH}

COPY --chown=airflow:0 requirements.lock ./
RUN python -m venv "${VIRTUAL_ENV}" \
    && "${VIRTUAL_ENV}/bin/python" -m pip install --no-cache-dir "$(grep -m1 -o '^uv==[0-9.]*' requirements.lock)" \
    && uv pip sync --no-cache --compile-bytecode --python "${VIRTUAL_ENV}/bin/python" requirements.lock

COPY --chown=airflow:0 pyproject.toml README.md ./
COPY --chown=airflow:0 cadre ./cadre
COPY --chown=airflow:0 ingest ./ingest
COPY --chown=airflow:0 expectations ./expectations
COPY --chown=airflow:0 dags ./dags
COPY --chown=airflow:0 dbt_project ./dbt_project
# the project itself, editable as `make setup` installs it (its dbt project and DAGs stay beside the code)
RUN uv pip install --no-cache --no-deps --python "${VIRTUAL_ENV}/bin/python" -e . \
    # the manifest Cosmos renders the refresh from: DAG parsing never runs dbt (parsing connects to nothing)
    && CADRE_DB_HOST=unused CADRE_DB_PORT=5432 CADRE_DB_USER=unused CADRE_DB_PASSWORD=unused CADRE_DB_NAME=unused \
       dbt parse --quiet --target candidate --target-path target/airflow \
       --project-dir dbt_project --profiles-dir dbt_project

ENV AIRFLOW__CORE__DAGS_FOLDER=/opt/cadre/dags \
    CADRE_HOME=/opt/cadre/home

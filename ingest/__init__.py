"""Ingest: files as districts and the training school send them -> raw and quarantine tables in PostgreSQL.

``ingest.pipeline.ingest_paths`` is the entry point the CLI (``cadre ingest``) and the Airflow tasks call.
"""

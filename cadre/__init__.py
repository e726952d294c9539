"""Runtime of the cadre warehouse: settings, the embedded PostgreSQL, the sample province, the CLI."""

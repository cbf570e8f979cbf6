"""The events input when it is a CSV file: its rows as text plus one row per unreadable line (see
predseg.csv_input). Empty for Parquet files and tables, which base_events reads directly."""


def model(dbt, session):
    dbt.config(materialized="table")
    from predseg.csv_input import read_with_rejects

    return read_with_rejects(session, dbt.source("raw", "events"), "events_csv_columns")

"""The user attributes input when it is a CSV file: its rows as text plus one row per unreadable line
(see predseg.csv_input). Empty otherwise."""


def model(dbt, session):
    dbt.config(materialized="table")
    from predseg.csv_input import read_with_rejects

    return read_with_rejects(session, dbt.source("raw", "user_attributes"), "user_attributes_csv_columns")

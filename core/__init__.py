"""The rules every app shares (text, era dates, spreadsheets, limits, the outbox, the full-page cache, the
scheduler). It imports no app and not the wiring in kochi_kyosei/: apps register with it from their
AppConfig.ready() (tests/test_architecture.py)."""

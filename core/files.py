"""Why a file someone named to a command cannot be read, in Japanese (the imports, the data files, restore_site)."""

REASONS = {
    FileNotFoundError: "ファイルがありません",
    IsADirectoryError: "ファイルではなくフォルダーです",
    NotADirectoryError: "途中のフォルダーがありません",
    PermissionError: "読む権限がありません",
}


def unreadable_reason(error):
    """The reason for an OSError, for the person who named the file."""
    for kind, reason in REASONS.items():
        if isinstance(error, kind):
            return reason
    return error.strerror or str(error)

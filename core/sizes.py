"""How the site writes a file or upload size for people, as the prefecture writes it in link labels."""


def format_file_size(size):
    """A size in bytes as the prefecture writes it in link labels: 387KB, 3MB, 2.5MB."""
    if size is None:
        return ""
    if size < 1024:
        return f"{size}B"
    kilobytes = round(size / 1024)
    if kilobytes < 1024:
        return f"{kilobytes}KB"
    megabytes = size / (1024 * 1024)
    if megabytes < 10:
        return f"{megabytes:.1f}".removesuffix(".0") + "MB"
    return f"{round(megabytes)}MB"

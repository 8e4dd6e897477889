"""Text as the sender meant it, whatever the label says: bodies and headers to str.

Mail in the wild is labelled wrong (GBK sent as GB2312, Shift_JIS in a header with no label,
ISO-2022-JP bodies with no charset, NEC characters ISO-2022-JP has no table for). Each byte
string goes down one fallback chain (`decode_bytes`), tested in tests/test_mail_corpus.py:

1. the declared charset, read as the superset mailers really use (GB2312 -> GB18030, …), strict;
2. UTF-8, strict (what an unlabelled message usually is);
3. ISO-2022-JP through the Windows table (CP50220) when the bytes carry its escapes;
4. for a few 8-bit bytes only (a header, a short line), Windows-1252 when it reads them all
   as Latin letters: charset-normalizer guesses wildly on so little;
5. charset-normalizer's guess (UTF-16 and UTF-32 left out: no BOM, no such mail), unless
   every reading it tries is chaotic;
6. Windows-1252 (every byte decodes): the last resort, never an exception.
"""

import codecs
import re
from email.header import decode_header

from charset_normalizer import from_bytes

# The charset a mailer means when it writes the label on the left.
SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-cn": "gb18030",
    "cn-gb": "gb18030",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
    "iso-8859-11": "cp874",
}
ISO_2022_JP = {"iso-2022-jp", "iso2022_jp", "csiso2022jp", "iso-2022-jp-1", "iso-2022-jp-2"}
JIS_ESCAPE = re.compile(rb"\x1b(\$[@B]|\([BJI])")
FEW_8BIT_BYTES = 24
NO_BOM_NO_GUESS = ["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le", "utf_7"]
ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?")


def decode_bytes(payload: bytes, declared: str = "") -> str:
    """`payload` as text, trying the chain in this module's docstring in order."""
    if not payload:
        return ""
    declared = (declared or "").strip().strip('"').lower()
    if declared in ISO_2022_JP or (not declared.startswith("utf") and JIS_ESCAPE.search(payload)):
        return _iso2022jp(payload)
    for charset in _declared_chain(declared):
        try:
            return payload.decode(charset)
        except (UnicodeDecodeError, LookupError):
            continue
    if _reads_as_latin(payload):
        return payload.decode("cp1252")
    guess = _guess(payload)
    if guess is not None:
        return guess
    return payload.decode("cp1252", errors="replace")


def decode_header_value(value: str) -> str:
    """A header as read from the message (raw 8-bit bytes kept as surrogates, encoded words
    left as they came) to text: each chunk down the same chain as bodies."""
    raw = value.encode("utf-8", "surrogateescape")
    if not ENCODED_WORD.search(value):
        return decode_bytes(raw) if not raw.isascii() else value
    text = []
    try:
        chunks = decode_header(value)
    except (ValueError, LookupError, AssertionError):
        return decode_bytes(raw)
    for chunk, charset in chunks:
        if isinstance(chunk, str):
            chunk = chunk.encode("utf-8", "surrogateescape")
        text.append(decode_bytes(chunk, charset or ""))
    return "".join(text)


def _declared_chain(declared: str) -> list[str]:
    chain = []
    if declared and declared not in {"unknown-8bit", "x-unknown", "unknown", "8bit"}:
        try:
            name = codecs.lookup(SUPERSETS.get(declared, declared)).name
        except LookupError:
            name = ""
        if name and name not in {"cp1252", "ascii"}:
            chain.append(name)
    # Latin-1 or ASCII labels (and none at all) are mostly UTF-8 or Windows-1252 in practice.
    chain.append("utf-8")
    if declared in SUPERSETS and SUPERSETS[declared] == "cp1252":
        chain.append("cp1252")
    return chain


def _reads_as_latin(payload: bytes) -> bool:
    if sum(byte > 0x7F for byte in payload) > FEW_8BIT_BYTES:
        return False
    try:
        text = payload.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return all(c.isascii() or (c.isalpha() and "\u00c0" <= c <= "\u024f") for c in text)


def _guess(payload: bytes) -> str | None:
    # None when every reading is too chaotic (charset-normalizer's own threshold).
    best = from_bytes(payload, cp_exclusion=NO_BOM_NO_GUESS).best()
    return None if best is None else str(best)


def _iso2022jp(payload: bytes) -> str:
    """ISO-2022-JP as Windows reads it (CP50220): through Shift_JIS and the CP932 table, which
    has the NEC and IBM characters (①, Ⅱ, ㈱) that Python's iso-2022-jp codecs refuse."""
    out = bytearray()
    mode = b"(B"
    position = 0
    for match in JIS_ESCAPE.finditer(payload):
        out += _from_jis(payload[position : match.start()], mode)
        mode = match.group(1)
        position = match.end()
    out += _from_jis(payload[position:], mode)
    return out.decode("cp932", errors="replace")


def _from_jis(chunk: bytes, mode: bytes) -> bytes:
    if mode == b"(I":  # half-width katakana
        return bytes(byte | 0x80 if 0x21 <= byte <= 0x5F else byte for byte in chunk)
    if mode not in (b"$B", b"$@"):
        return chunk
    out = bytearray()
    for index in range(0, len(chunk) - 1, 2):
        first, second = chunk[index], chunk[index + 1]
        if not (0x21 <= first <= 0x7E and 0x21 <= second <= 0x7E):
            out += bytes((first, second))  # not a JIS pair: leave it be
            continue
        lead = (first + 1) // 2 + (0x70 if first <= 0x5E else 0xB0)
        if first % 2:
            trail = second + 0x1F
            trail += trail >= 0x7F
        else:
            trail = second + 0x7E
        out += bytes((lead, trail))
    if len(chunk) % 2:
        out.append(chunk[-1])
    return bytes(out)


def clean(value: str, keep_lines: bool = False) -> str:
    # PostgreSQL refuses NUL characters in text; headers have no business with line breaks.
    value = value.replace("\x00", "")
    return value if keep_lines else " ".join(value.split())

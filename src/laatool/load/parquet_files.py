"""What a Parquet returns file holds, measured before it is read: its rows, columns and
uncompressed size from its footer (a few hundred bytes of Thrift), and the texts of the frame
read before any cell is copied. A file past the limits is refused (TooLarge, Y005)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from laatool.base.inputs import open_input
from laatool.load.table_files import MAX_PIECE, MAX_UNZIPPED_BYTES, NotAWorkbook, TooLarge, check_cells

if TYPE_CHECKING:
    import polars as pl


MAX_PARQUET_ROWS = 2_000_000


def check_parquet(path: Path) -> None:
    """Refuse a Parquet file past the limits, from its footer alone (TooLarge)."""
    import polars as pl

    scan = pl.scan_parquet(path, glob=False)  # the name as written, never a pattern
    columns = len(scan.collect_schema())
    rows = scan.select(pl.len()).collect().item()
    check_cells(rows, columns, max_rows=MAX_PARQUET_ROWS)
    unzipped = uncompressed_size(path)
    if unzipped > MAX_UNZIPPED_BYTES:
        raise TooLarge(f"the file's columns hold {unzipped:,} bytes uncompressed: the limit is {MAX_UNZIPPED_BYTES:,}")


def check_parquet_text(frame: pl.DataFrame) -> None:
    """Refuse a Parquet file's frame, as read, whose texts come to more than MAX_UNZIPPED_BYTES,
    or with a text of more than MAX_PIECE, as an XLSX sheet's is (TooLarge). The footer gives
    the columns' sizes as stored: a text stored once in a column's dictionary and named by two
    million rows is a few kilobytes there and 20 GB once each cell is made a text of its own,
    and a cell of 300 million digits is 11 KB (every step after the reading would copy it
    again: 26 s and 3.5 GB to find R321 in). The frame read holds each such cell as a view of
    the one text, so its lengths are measured before any cell is copied."""
    import polars as pl

    texts = [pl.col(name).str.len_bytes() if kind == pl.String else pl.col(name).cat.len_bytes()
             for name, kind in frame.schema.items() if kind == pl.String or isinstance(kind, pl.Categorical | pl.Enum)]
    if not texts:
        return
    lengths = frame.select(texts)
    total, longest = lengths.select(pl.sum_horizontal(pl.all().cast(pl.UInt64).sum()).alias("total"),
                                    pl.max_horizontal(pl.all().max()).alias("longest")).row(0)
    if total > MAX_UNZIPPED_BYTES:
        raise TooLarge(f"the file's cells hold {total:,} bytes of text (each text of a column's dictionary as often as "
                       f"its cells name it): the limit is {MAX_UNZIPPED_BYTES:,}")
    if longest is not None and longest > MAX_PIECE:
        raise TooLarge(f"the file holds a text of over {MAX_PIECE // (1024 * 1024)} MiB")


def uncompressed_size(path: Path) -> int:
    """The sum of the row groups' `total_byte_size` in a Parquet footer (Thrift compact protocol)."""
    with open_input(path, path.stat().st_size) as handle:  # as every input is opened (laatool.base.inputs)
        handle.seek(-8, 2)
        tail = handle.read(8)
        length = int.from_bytes(tail[:4], "little")
        if tail[4:] != b"PAR1" or length <= 0 or length > handle.tell():
            raise NotAWorkbook("it has no Parquet footer")
        handle.seek(-8 - length, 2)
        footer = handle.read(length)
    return _Thrift(footer).row_group_bytes()


class _Thrift:
    """Just enough of the Thrift compact protocol to sum FileMetaData.row_groups[*].total_byte_size."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def byte(self) -> int:
        if self.at >= len(self.data):
            raise NotAWorkbook("its Parquet footer is cut short")
        value = self.data[self.at]
        self.at += 1
        return value

    def varint(self) -> int:
        shift = result = 0
        while True:
            byte = self.byte()
            result |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return result
            shift += 7
            if shift > 70:
                raise NotAWorkbook("its Parquet footer is malformed")

    def zigzag(self) -> int:
        value = self.varint()
        return (value >> 1) ^ -(value & 1)

    def fields(self, depth: int = 0):
        """(field id, type) of each field of a struct, leaving the reader at its value."""
        if depth > 64:
            raise NotAWorkbook("its Parquet footer nests too deeply")
        last = 0
        while True:
            header = self.byte()
            kind = header & 0x0F
            if kind == 0:
                return
            delta = header >> 4
            last = last + delta if delta else self.zigzag()
            yield last, kind

    def skip(self, kind: int, depth: int = 0, in_list: bool = False) -> None:
        if depth > 64:
            raise NotAWorkbook("its Parquet footer nests too deeply")
        if kind in (1, 2):  # a boolean field is in its type; a list's booleans take a byte each
            if depth and in_list:
                self.byte()
            return
        if kind == 3:
            self.byte()
        elif kind in (4, 5, 6):
            self.varint()
        elif kind == 7:
            self.at += 8
        elif kind == 8:
            length = self.varint()
            self.at += length
        elif kind in (9, 10):
            size, element = self.list_header()
            for _ in range(size):
                self.skip(element, depth + 1, in_list=True)
        elif kind == 11:
            size = self.varint()
            if size > len(self.data):
                raise NotAWorkbook("its Parquet footer is malformed")
            if size:
                kinds = self.byte()
                for _ in range(size):
                    self.skip(kinds >> 4, depth + 1, in_list=True)
                    self.skip(kinds & 0x0F, depth + 1, in_list=True)
        elif kind == 12:
            for _, inner in self.fields(depth + 1):
                self.skip(inner, depth + 1)
        else:
            raise NotAWorkbook("its Parquet footer is malformed")
        if self.at > len(self.data):
            raise NotAWorkbook("its Parquet footer is cut short")

    def list_header(self) -> tuple[int, int]:
        header = self.byte()
        size = header >> 4
        if size == 15:
            size = self.varint()
        if size > len(self.data):
            raise NotAWorkbook("its Parquet footer is malformed")
        return size, header & 0x0F

    def row_group_bytes(self) -> int:
        total = 0
        for number, kind in self.fields():
            if number == 4 and kind == 9:  # row_groups: list<RowGroup>
                size, element = self.list_header()
                for _ in range(size):
                    if element != 12:
                        raise NotAWorkbook("its Parquet footer is malformed")
                    for inner, inner_kind in self.fields(1):
                        if inner == 2 and inner_kind == 6:  # total_byte_size: i64
                            total += max(self.zigzag(), 0)
                        else:
                            self.skip(inner_kind, 1)
            else:
                self.skip(kind)
        return total

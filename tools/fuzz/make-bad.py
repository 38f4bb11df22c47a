#!/usr/bin/python3
"""tools/fuzz/make-bad.py - write the hand-made hostile inputs of tests/data/bad/.

Each file is small and breaks one rule a reader must check: a wrong magic
number, declared dimensions far beyond the pixel limit or zero, a palette
index past the palette, TIFF offsets pointing outside the file, JPEG markers
with impossible lengths.  tests/e2e/hostile.sh runs every file in that
folder through the program and expects a clean failure (exit 1, a message,
no output).  Files found by the fuzzers (tools/fuzz/run) are added there
too, named fuzz-TARGET-*.  Run from the top directory:

    /usr/bin/python3 tools/fuzz/make-bad.py
"""
import os
import struct
import zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "data", "bad")


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png(width, height, depth, ctype, rows, plte=None):
    sig = b"\x89PNG\r\n\x1a\n"
    ihdr = struct.pack(">IIBBBBB", width, height, depth, ctype, 0, 0, 0)
    out = sig + chunk(b"IHDR", ihdr)
    if plte is not None:
        out += chunk(b"PLTE", plte)
    out += chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    return out


def tiff(entries, extra=b"", ifd_offset=8):
    """Little-endian TIFF with one IFD of (tag, type, count, value) SHORT/LONG entries."""
    head = b"II*\x00" + struct.pack("<I", ifd_offset)
    ifd = struct.pack("<H", len(entries))
    for tag, typ, count, value in sorted(entries):
        if typ == 3:
            ifd += struct.pack("<HHIHH", tag, typ, count, value, 0)
        else:
            ifd += struct.pack("<HHII", tag, typ, count, value)
    ifd += struct.pack("<I", 0)
    return head + ifd + extra


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    write("empty.png", b"")
    write("wrong-magic.png", b"\x89PNX\r\n\x1a\n" + b"\x00" * 64)
    write("text-as-image.jpg", b"This is not an image at all, just text.\n" * 4)
    write("png-huge-dims.png", png(1000000, 1000000, 8, 0, b"\x00\x00"))
    write("png-zero-width.png", png(0, 16, 8, 0, b"\x00" * 16))
    write("png-bad-crc.png", png(4, 4, 8, 0, b"\x00" * 20)[:-20] + b"\xde\xad\xbe\xef" * 5)
    # 4x4 palette image, two palette entries, pixels indexing entry 200.
    write("png-palette-overflow.png",
          png(4, 4, 8, 3, b"".join(b"\x00" + bytes([200, 1, 0, 200]) for _ in range(4)),
              plte=b"\x00\x00\x00\xff\xff\xff"))
    # IDAT that inflates to far fewer rows than declared.
    write("png-short-idat.png", png(64, 64, 8, 0, b"\x00" * 65))
    # TIFF: IFD offset past the end of the file.
    write("tiff-ifd-past-end.tif", b"II*\x00" + struct.pack("<I", 0x7FFFFFF0))
    # TIFF: 16x16 gray, strip offset and byte count far outside the file.
    base = [(256, 3, 1, 16), (257, 3, 1, 16), (258, 3, 1, 8), (259, 3, 1, 1),
            (262, 3, 1, 1), (277, 3, 1, 1), (278, 3, 1, 16)]
    write("tiff-bogus-strip-offset.tif",
          tiff(base + [(273, 4, 1, 0x7FFFFF00), (279, 4, 1, 256)]))
    write("tiff-strip-count-overflow.tif",
          tiff(base + [(273, 4, 1, 8), (279, 4, 1, 0xFFFFFFF0)]))
    # TIFF declaring 2^24 x 2^24 pixels.
    huge = [(256, 4, 1, 1 << 24), (257, 4, 1, 1 << 24), (258, 3, 1, 8), (259, 3, 1, 1),
            (262, 3, 1, 1), (277, 3, 1, 1), (278, 4, 1, 1 << 24), (273, 4, 1, 8),
            (279, 4, 1, 16)]
    write("tiff-huge-dims.tif", tiff(huge))
    # JPEG: SOI, then a segment whose length runs past the file, then junk.
    write("jpeg-bad-segment-length.jpg", b"\xff\xd8\xff\xe0\xff\xf0JFIF\x00" + b"\x00" * 32)
    # JPEG: SOF0 declaring 0 x 0 pixels and no components.
    write("jpeg-zero-sof.jpg", b"\xff\xd8\xff\xc0\x00\x08\x08\x00\x00\x00\x00\x00\xff\xd9")
    # JPEG: SOF0 65535 x 65535, 1 component, then end of image with no scan.
    write("jpeg-huge-sof.jpg",
          b"\xff\xd8\xff\xc0\x00\x0b\x08\xff\xff\xff\xff\x01\x01\x11\x00\xff\xd9")
    write("pnm-huge-dims.pgm", b"P5\n1000000 1000000\n255\n" + b"\x00" * 16)
    write("pnm-zero-height.pgm", b"P5\n16 0\n255\n")
    write("pnm-negative.ppm", b"P6\n-3 4\n255\n" + b"\x00" * 36)
    write("pnm-maxval-zero.pgm", b"P5\n2 2\n0\n\x00\x00\x00\x00")
    write("pnm-maxval-huge.pgm", b"P5\n2 2\n70000\n" + b"\x00" * 8)
    write("pnm-overflowing-number.pbm", b"P1\n99999999999999999999 1\n0\n")
    write("pnm-short-data.ppm", b"P6\n64 64\n255\n" + b"\x7f" * 100)


if __name__ == "__main__":
    main()
